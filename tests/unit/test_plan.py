"""The plan's pure rules: what a typed line and number may be, and treatment transitions."""

from __future__ import annotations

from datetime import date

import pytest

from fotfeste.errors import InvalidInput
from fotfeste.plan import programmes
from fotfeste.plan.logic import (
    check_since,
    check_unique_ids,
    clean_phone,
    clean_text,
    dial_string,
    programme_after,
)


@pytest.mark.parametrize(
    ("typed", "kept", "dial"),
    [
        ("+47 912 34 567", "+47 912 34 567", "+4791234567"),
        (" 070-123 45 67 ", "070-123 45 67", "0701234567"),
        ("(08) 123 456", "(08) 123 456", "08123456"),
        ("112", "112", "112"),
        ("+45 12.34.56.78", "+45 12.34.56.78", "+4512345678"),
        # The Swedish "(0)" after the country code is not dialled from a mobile.
        ("+46 (0)70-123 45 67", "+46 (0)70-123 45 67", "+46701234567"),
        ("+46(0)8 123 456", "+46(0)8 123 456", "+468123456"),
    ],
)
def test_phone_numbers_are_kept_as_typed_and_dialled_as_digits(
    typed: str, kept: str, dial: str
) -> None:
    assert clean_phone(typed) == kept
    assert dial_string(clean_phone(typed)) == dial


@pytest.mark.parametrize(
    "typed",
    ["", "12", "call me", "+47 abc", "1234567890123456", "++4712345678", "javascript:alert(1)"],
)
def test_things_that_are_not_phone_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_phone(typed)
    assert caught.value.field == "phone"


@pytest.mark.parametrize(
    ("typed", "kept"), [("  walk  ", "walk"), ("call Mum\n", "call Mum"), ("å ø æ", "å ø æ")]
)
def test_text_is_trimmed(typed: str, kept: str) -> None:
    assert clean_text(typed, field="text") == kept


@pytest.mark.parametrize(("typed", "limit"), [("   ", 300), ("\n\t", 300), ("x" * 11, 10)])
def test_empty_or_long_text_is_refused(typed: str, limit: int) -> None:
    with pytest.raises(InvalidInput):
        clean_text(typed, field="text", limit=limit)


def test_duplicate_ids_are_refused() -> None:
    check_unique_ids(["a", "b"], field="id")
    with pytest.raises(InvalidInput, match="appears twice"):
        check_unique_ids(["a", "b", "a"], field="id")


def test_since_cannot_be_in_the_future() -> None:
    assert check_since(date(2026, 3, 1), date(2026, 3, 16)) == date(2026, 3, 1)
    with pytest.raises(InvalidInput, match="future"):
        check_since(date(2026, 3, 17), date(2026, 3, 16))


@pytest.mark.parametrize(
    ("previous", "status", "programme"),
    [
        (None, "waiting", "waiting-list"),
        ("none", "waiting", "waiting-list"),
        ("waiting", "waiting", None),
        ("waiting", "in_treatment", "aftercare"),
        ("waiting", "after", "aftercare"),
        ("in_treatment", "after", "aftercare"),
        (None, "after", "aftercare"),
        ("after", "after", None),
        ("waiting", "none", None),
        (None, "none", None),
    ],
)
def test_programme_follows_treatment_status(
    previous: str | None, status: str, programme: str | None
) -> None:
    assert programme_after(previous, status) == programme


class _FakeScales:
    """Stands in for the scales domain's set_programme: records calls, refuses unknown ones."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, date]] = []

    async def set_programme(self, db: object, account_id: str, programme: str, start: date) -> None:
        if programme not in {"aftercare", "waiting-list"}:
            raise InvalidInput(f"Unknown programme {programme!r}", field="programme")
        self.calls.append((account_id, programme, start))


async def test_switch_programme_calls_the_scales_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeScales()
    monkeypatch.setattr(programmes, "set_programme", fake.set_programme)
    start = date(2026, 3, 16)
    assert await programmes.switch_programme(None, "acc", "waiting-list", start) is True
    assert fake.calls == [("acc", "waiting-list", start)]
    # A programme the catalogue refuses is logged, never turned into the person's error.
    assert await programmes.switch_programme(None, "acc", "clinic-x", start) is False
