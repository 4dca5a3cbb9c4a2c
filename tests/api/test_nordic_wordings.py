"""The published Nordic wordings, word for word from ../shared/data, and national cut-offs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import Person
from tests.conftest import SHARED_DATA

NORDIC = SHARED_DATA / "instruments-nordic"
TIMEZONE = {"sv": "Europe/Stockholm", "nb": "Europe/Oslo", "da": "Europe/Copenhagen"}
# What instruments-nordic/README.md marks "yes": (API id, data file stem, language).
SHIPPED = [
    ("phq9", "phq9", "sv"),
    ("phq9", "phq9", "da"),
    ("phq9", "phq9", "nb"),
    ("audit", "audit", "nb"),
    ("audit-c", "auditc", "nb"),
    ("audit", "audit", "sv"),
    ("audit-c", "auditc", "sv"),
    ("dudit", "dudit", "sv"),
    ("dudit-c", "duditc", "sv"),
]
ENGLISH = [("gad7", "sv"), ("gad7", "da"), ("gad7", "nb"), ("dudit", "da"), ("dudit", "nb")]
ENGLISH += [("dudit-c", "da"), ("audit", "da"), ("audit-c", "da")]


def _instruments(person: Person) -> dict[str, Any]:
    body = person.get("/api/instruments").json()
    return {i["id"]: i for i in body["instruments"]}


@pytest.mark.parametrize(("instrument", "stem", "lang"), SHIPPED)
def test_every_item_option_and_instruction_is_the_published_text(
    person_factory: Callable[..., Person], instrument: str, stem: str, lang: str
) -> None:
    data = json.loads((NORDIC / f"{stem}.{lang}.json").read_text(encoding="utf-8"))
    person = person_factory(locale=lang, timezone=TIMEZONE[lang])
    served = _instruments(person)[instrument]
    assert served["language"] == lang and served["translation_note"] is None
    assert served["instructions"] == data.get("instructions")
    assert len(served["items"]) == len(data["items"])
    for item, published in zip(served["items"], data["items"], strict=True):
        assert item["key"] == str(published["n"])
        assert item["text"] == published["text"]
        options = published.get("options") or data["options"]
        assert [(o["score"], o["label"]) for o in item["options"]] == [
            (o["score"], o["text"]) for o in options
        ]
    # The version and source go with the wording, in its language.
    assert served["translation"]["credit"] and served["translation"]["version"]
    long_form = stem[:-1] if stem in ("auditc", "duditc") else stem
    assert f"{long_form}.{lang}.json" in served["translation"]["source"]


def test_the_swedish_credit_names_the_translation(person_factory: Callable[..., Person]) -> None:
    swede = person_factory(locale="sv", timezone="Europe/Stockholm")
    served = _instruments(swede)
    assert served["phq9"]["translation"]["credit"] == (
        "Svensk översättning: Mats Adler, Pfizer AB 2005"
    )
    assert served["phq9"]["language"] == "sv" and served["dudit"]["language"] == "sv"
    assert "1994" in served["audit"]["translation"]["credit"]
    # The short forms take the full instrument's wording, in the same language.
    assert served["audit-c"]["items"] == served["audit"]["items"][:3]
    assert served["dudit-c"]["items"][0]["text"] == served["dudit"]["items"][0]["text"]


@pytest.mark.parametrize(("instrument", "lang"), ENGLISH)
def test_unpublished_wordings_stay_english_with_a_notice_in_the_persons_language(
    person_factory: Callable[..., Person], instrument: str, lang: str
) -> None:
    person = person_factory(locale=lang, timezone=TIMEZONE[lang])
    served = _instruments(person)[instrument]
    assert served["language"] == "en" and served["translation"] is None
    english = {"sv": "engelska", "nb": "engelsk", "da": "engelsk"}[lang]
    assert english in served["translation_note"]
    assert "translation" not in served["translation_note"]  # the old note was in English


def test_a_danish_account_gets_danish_phq9_and_english_gad7(
    person_factory: Callable[..., Person],
) -> None:
    dane = person_factory(locale="da", timezone="Europe/Copenhagen")
    served = _instruments(dane)
    assert served["phq9"]["language"] == "da"
    assert served["phq9"]["items"][0]["text"] == "Lille interesse i eller glæde ved at gøre ting"
    assert served["gad7"]["language"] == "en"
    assert served["gad7"]["translation_note"].startswith("GAD-7 vises på engelsk.")
    # Scoring and safety rules do not change with the language.
    answers = {str(n): 0 for n in range(1, 10)} | {"9": 1}
    body = dane.post("/api/responses", json={"instrument": "phq9", "answers": answers}).json()
    assert body["score"] == 1 and body["safety"] is True and body["band"] == "minimal"


def test_national_audit_cutoffs_in_the_band_texts(person_factory: Callable[..., Person]) -> None:
    answers = {"1": 2, "2": 1, "3": 1, "4": 1, "5": 1, "6": 0, "7": 0, "8": 0, "9": 0, "10": 0}
    swede = person_factory(locale="sv", timezone="Europe/Stockholm")
    body = swede.post("/api/responses", json={"instrument": "audit", "answers": answers}).json()
    assert body["score"] == 6 and body["band"] == "zone1"  # the stored band stays the WHO's
    assert body["band_label"] == "Under 8 poäng" and "Socialstyrelsen" in body["explanation"]
    assert "6 poäng eller mer för kvinnor" in body["explanation"]
    swede.put("/api/scales/settings", json={"cutoff_set": "women"})
    cutoff = swede.post("/api/responses", json={"instrument": "audit", "answers": answers})
    assert cutoff.json()["cutoff"] == {
        "set": "women",
        "min": 6,
        "country": "SE",
        "above": True,
        "text": cutoff.json()["cutoff"]["text"],
    }
    norwegian = person_factory(locale="nb", timezone="Europe/Oslo")
    high = dict.fromkeys(answers, 0) | {"1": 4, "2": 4, "3": 4, "4": 4}
    body = norwegian.post("/api/responses", json={"instrument": "audit", "answers": high}).json()
    assert body["score"] == 16 and body["band_label"] == "Høy eller svært høy risiko"
    assert "NHI" in body["explanation"] and "16 poeng" in body["explanation"]
    # A Dane sees the WHO zones: Denmark has no official AUDIT cut-off in the sources.
    dane = person_factory(locale="da", timezone="Europe/Copenhagen")
    body = dane.post("/api/responses", json={"instrument": "audit", "answers": answers}).json()
    assert body["band_label"] == "Lavere risiko"
    assert _instruments(dane)["audit"]["bands"][0]["label"] == "Lavere risiko"
    assert _instruments(swede)["audit"]["bands"][0]["label"] == "Under 8 poäng"


def test_swedish_audit_c_cutoff_from_folkhalsomyndigheten(
    person_factory: Callable[..., Person],
) -> None:
    swede = person_factory(locale="sv", timezone="Europe/Stockholm")
    swede.put("/api/scales/settings", json={"cutoff_set": "men"})
    answers = {"instrument": "audit-c", "answers": {"1": 2, "2": 2, "3": 2}}  # 6
    assert swede.post("/api/responses", json=answers).json()["cutoff"]["min"] == 6
    from fotfeste.scales.definitions import catalogue

    assert "Folkhälsomyndigheten" in catalogue().instruments["audit-c"].cutoffs.source  # type: ignore[union-attr]
