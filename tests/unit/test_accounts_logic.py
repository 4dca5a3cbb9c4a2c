"""Recovery codes and time zones: the pure rules of anonymous accounts."""

from __future__ import annotations

import math

import pytest

from fotfeste.accounts.logic import (
    ALPHABET,
    LOOKUP_CHARS,
    SECRET_CHARS,
    RecoveryCode,
    guess_country,
    valid_timezone,
)
from fotfeste.errors import InvalidInput


def test_generated_codes_have_at_least_80_secret_bits_and_read_in_groups() -> None:
    assert SECRET_CHARS * math.log2(len(ALPHABET)) >= 80
    code = RecoveryCode.generate()
    shown = str(code)
    assert [len(g) for g in shown.split("-")] == [4] * ((LOOKUP_CHARS + SECRET_CHARS) // 4)
    assert len({str(RecoveryCode.generate()) for _ in range(200)}) == 200


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01",
        "abcd efgh jkmn pqrs tvwx yz01",
        "ABCDEFGHJKMNPQRSTVWXYZ01",
        " abcd-efgh-jkmn-pqrs-tvwx-yzol ",  # O and l typed for 0 and 1
    ],
)
def test_codes_parse_as_people_type_them(typed: str) -> None:
    code = RecoveryCode.parse(typed)
    assert str(code) == "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"
    assert code.lookup == "ABCDEFGH"


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ0U", "€" * 24])
def test_malformed_codes_are_invalid_input(typed: str) -> None:
    with pytest.raises(InvalidInput, match="recovery code"):
        RecoveryCode.parse(typed)


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "Pacific/Kiritimati", "UTC"])
def test_known_zones_pass(zone: str) -> None:
    assert valid_timezone(zone) == zone


@pytest.mark.parametrize("zone", ["Europe/Atlantis", "../etc/passwd", "", "europe/oslo"])
def test_unknown_zones_are_refused(zone: str) -> None:
    with pytest.raises(InvalidInput, match="time zone"):
        valid_timezone(zone)


@pytest.mark.parametrize(
    ("zone", "locale", "country"),
    [
        ("Europe/Oslo", "sv", "NO"),
        ("Europe/Copenhagen", "en", "DK"),
        ("America/Chicago", "sv", "SE"),
        ("Asia/Tokyo", "en", None),
    ],
)
def test_country_guess(zone: str, locale: str, country: str | None) -> None:
    assert guess_country(zone, locale) == country
