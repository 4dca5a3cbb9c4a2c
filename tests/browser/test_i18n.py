"""The four languages: the same keys everywhere, same placeholders, and every key the code uses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

PWA = Path(__file__).resolve().parents[2] / "pwa"
LANGUAGES = ["sv", "nb", "da", "en"]
PLURAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}


def flatten(node: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """'home.help_card.title' → text; a plural {"one", "other"} is one key ending in '#one' etc."""
    out: dict[str, str] = {}
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) <= PLURAL_CATEGORIES:
            assert "other" in value, f"{path}: a plural needs 'other'"
            out.update({f"{path}#{cat}": text for cat, text in value.items()})
        elif isinstance(value, dict):
            out.update(flatten(value, f"{path}."))
        else:
            assert isinstance(value, str) and value.strip(), f"{path} is empty"
            out[path] = value
    return out


def load(lang: str) -> dict[str, str]:
    return flatten(json.loads((PWA / "i18n" / f"{lang}.json").read_text(encoding="utf-8")))


def base_keys(keys: set[str]) -> set[str]:
    return {key.split("#")[0] for key in keys}


@pytest.mark.parametrize("lang", ["sv", "nb", "da"])
def test_same_keys_and_placeholders_as_english(lang: str) -> None:
    english, other = load("en"), load(lang)
    assert base_keys(set(other)) == base_keys(set(english))
    for key, text in other.items():
        reference = english.get(key) or english[key.split("#")[0] + "#other"]
        assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", reference)), key


def test_every_key_the_code_asks_for_exists() -> None:
    keys = base_keys(set(load("en")))
    wanted: set[str] = set()
    for path in [*PWA.glob("*.js"), *PWA.glob("views/**/*.js")]:
        wanted |= set(re.findall(r"\bt\('([a-z_]+(?:\.[a-z_0-9]+)+)'", path.read_text("utf-8")))
    assert wanted, "no t('…') calls found"
    assert wanted - keys == set()


# Each language's word for a check-in (the daily "did you use?"), and, for Swedish, not the
# word for a check-up (avstämning): the clinic screen must not promise that check-ups stay private.
CHECK_IN_WORDS = {
    "sv": r"incheck|checka",
    "nb": r"innsjekk|sjekk",
    "da": r"indtjek|tjek|check-in",
}


@pytest.mark.parametrize("lang", ["sv", "nb", "da"])
def test_a_check_in_is_called_a_check_in(lang: str) -> None:
    english, other = load("en"), load(lang)
    wrong = [
        f"{key}: {other[key]}"
        for key, text in english.items()
        if re.search(r"check-in|check in|checked in", text, re.IGNORECASE)
        and not re.search(CHECK_IN_WORDS[lang], other[key], re.IGNORECASE)
    ]
    assert wrong == []


# Slips a native speaker notices at once.
@pytest.mark.parametrize(
    ("lang", "slip", "why"),
    [
        ("da", r"\bstoffri (dage|indtjekninger|tid)\b", "plural and definite: stoffrie"),
        ("da", r"\b(din|dine|de)( \{count\})? stoffri\b", "after din/dine/de: stoffrie"),
        ("da", r"\btjek-ind\b", "not a Danish noun: indtjekning(er)"),
        ("nb", r"\bhver rusfrie\b", "hver takes the indefinite: hver rusfri dag"),
    ],
)
def test_no_slip_a_native_speaker_would_notice(lang: str, slip: str, why: str) -> None:
    found = [f"{key}: {text}" for key, text in load(lang).items() if re.search(slip, text, re.I)]
    assert found == [], why
