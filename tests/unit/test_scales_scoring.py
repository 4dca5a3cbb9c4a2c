"""Scoring rules of every instrument against the published manuals' rules and cut-points."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from fotfeste.errors import InvalidInput
from fotfeste.scales.definitions import (
    INSTRUMENTS_DIR,
    LOCALES,
    PROGRAMMES_FILE,
    DefinitionError,
    catalogue,
    load_catalogue,
)
from fotfeste.scales.logic import cutoff_for, score, validate_answers


def answers(*values: int) -> dict[str, int]:
    return {str(n): v for n, v in enumerate(values, start=1)}


def inst(instrument_id: str, role: str = "self") -> Any:
    found = catalogue().instrument(instrument_id, role)
    assert found is not None
    return found


# (instrument, answers, score, band). Items in published order; an answer is the item's score.
WORKED = [
    # PHQ-9 (Kroenke 2001): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 mod. severe, 20–27 severe.
    ("phq9", answers(0, 0, 0, 0, 0, 0, 0, 0, 0), 0, "minimal"),
    ("phq9", answers(1, 1, 1, 1, 0, 0, 0, 0, 0), 4, "minimal"),
    ("phq9", answers(1, 1, 1, 1, 1, 0, 0, 0, 0), 5, "mild"),
    ("phq9", answers(2, 2, 2, 1, 1, 1, 0, 0, 0), 9, "mild"),
    ("phq9", answers(2, 2, 2, 2, 1, 1, 0, 0, 0), 10, "moderate"),
    ("phq9", answers(2, 2, 2, 2, 2, 2, 2, 0, 0), 14, "moderate"),
    ("phq9", answers(3, 3, 3, 2, 2, 2, 0, 0, 0), 15, "moderately_severe"),
    ("phq9", answers(3, 3, 3, 3, 3, 2, 2, 0, 0), 19, "moderately_severe"),
    ("phq9", answers(3, 3, 3, 3, 3, 3, 2, 0, 0), 20, "severe"),
    ("phq9", answers(3, 3, 3, 3, 3, 3, 3, 3, 3), 27, "severe"),
    # GAD-7 (Spitzer 2006): 0–4, 5–9, 10–14, 15–21.
    ("gad7", answers(1, 1, 1, 1, 0, 0, 0), 4, "minimal"),
    ("gad7", answers(1, 1, 1, 1, 1, 0, 0), 5, "mild"),
    ("gad7", answers(2, 2, 2, 2, 1, 0, 0), 9, "mild"),
    ("gad7", answers(2, 2, 2, 2, 2, 0, 0), 10, "moderate"),
    ("gad7", answers(2, 2, 2, 2, 2, 2, 2), 14, "moderate"),
    ("gad7", answers(3, 3, 3, 2, 2, 1, 1), 15, "severe"),
    ("gad7", answers(3, 3, 3, 3, 3, 3, 3), 21, "severe"),
    # AUDIT (WHO 2001): items 9–10 score 0/2/4; zones 0–7, 8–15, 16–19, 20–40.
    ("audit", answers(2, 1, 1, 0, 0, 0, 1, 0, 2, 0), 7, "zone1"),
    ("audit", answers(2, 1, 1, 0, 0, 0, 1, 1, 2, 0), 8, "zone2"),
    ("audit", answers(3, 2, 2, 1, 1, 0, 1, 1, 2, 2), 15, "zone2"),
    ("audit", answers(3, 2, 2, 1, 1, 1, 1, 1, 2, 2), 16, "zone3"),
    ("audit", answers(3, 2, 2, 2, 1, 1, 2, 2, 2, 2), 19, "zone3"),
    ("audit", answers(3, 2, 2, 2, 2, 1, 2, 2, 2, 2), 20, "zone4"),
    ("audit", answers(4, 4, 4, 4, 4, 4, 4, 4, 4, 4), 40, "zone4"),
    # DUDIT (Berman 2003/2005): items 1–9 0–4, items 10–11 0/2/4; 0–44; dependence >= 25.
    ("dudit", answers(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, "below_dependence"),
    ("dudit", answers(3, 2, 2, 3, 3, 2, 2, 2, 1, 2, 2), 24, "below_dependence"),
    ("dudit", answers(3, 2, 2, 3, 3, 2, 2, 2, 2, 2, 2), 25, "probable_dependence"),
    ("dudit", answers(4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4), 44, "probable_dependence"),
    # The short forms: AUDIT-C 0–12 and DUDIT-C 0–16, no published bands.
    ("audit-c", answers(4, 4, 4), 12, None),
    ("dudit-c", answers(4, 4, 4, 4), 16, None),
]


@pytest.mark.parametrize(("instrument_id", "given", "total", "band"), WORKED)
def test_published_scores_and_bands(
    instrument_id: str, given: dict[str, int], total: int, band: str | None
) -> None:
    scored = score(inst(instrument_id), given)
    assert scored.score == total
    assert (scored.band.id if scored.band else None) == band


@pytest.mark.parametrize(
    ("instrument_id", "maximum"),
    [("phq9", 27), ("gad7", 21), ("audit", 40), ("audit-c", 12), ("dudit", 44), ("dudit-c", 16)],
)
def test_maximum_scores(instrument_id: str, maximum: int) -> None:
    assert inst(instrument_id).max_score == maximum


@pytest.mark.parametrize(
    ("instrument_id", "key", "bad"),
    [
        ("audit", "9", 1),  # items 9–10 take 0, 2 or 4 only
        ("audit", "10", 3),
        ("dudit", "10", 1),
        ("dudit", "11", 3),
        ("dudit", "1", 5),
        ("phq9", "9", 4),
        ("phq9", "1", -1),
        ("gad7", "7", 4),
    ],
)
def test_out_of_range_answers_are_refused(instrument_id: str, key: str, bad: int) -> None:
    instrument = inst(instrument_id)
    given = {item.key: 0 for item in instrument.items} | {key: bad}
    with pytest.raises(InvalidInput) as caught:
        validate_answers(instrument, given)
    assert caught.value.field == f"answers.{key}"


def test_missing_extra_and_boolean_answers_are_refused() -> None:
    phq9 = inst("phq9")
    with pytest.raises(InvalidInput, match="Item 9 is not answered"):
        validate_answers(phq9, answers(0, 0, 0, 0, 0, 0, 0, 0))
    with pytest.raises(InvalidInput, match="no item '10'"):
        validate_answers(phq9, answers(0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    with pytest.raises(InvalidInput, match="takes"):
        validate_answers(phq9, {**answers(0, 0, 0, 0, 0, 0, 0, 0), "9": True})


@pytest.mark.parametrize(
    ("instrument_id", "role", "given", "safety"),
    [
        ("phq9", "self", answers(0, 0, 0, 0, 0, 0, 0, 0, 1), True),
        ("phq9", "self", answers(0, 0, 0, 0, 0, 0, 0, 0, 3), True),
        ("phq9", "self", answers(3, 3, 3, 3, 3, 3, 3, 3, 0), False),
        ("checkup", "self", answers(10, 0, 5), True),
        ("checkup", "self", answers(9, 30, 0), False),
        ("checkup", "relative", answers(10, 5), True),
        ("checkup", "relative", answers(9, 0), False),
        ("gad7", "self", answers(3, 3, 3, 3, 3, 3, 3), False),
    ],
)
def test_safety_rules(instrument_id: str, role: str, given: dict[str, int], safety: bool) -> None:
    assert score(inst(instrument_id, role), given).safety is safety


def test_checkup_has_no_total_but_named_measures() -> None:
    scored = score(inst("checkup"), answers(6, 12, 7))
    assert scored.score is None and scored.band is None
    assert scored.measures == {"burden": 6, "days_used": 12, "belief": 7}
    relative = score(inst("checkup", "relative"), answers(8, 4))
    assert relative.measures == {"burden": 8, "belief": 4}
    with pytest.raises(InvalidInput):
        validate_answers(inst("checkup"), answers(6, 31, 7))


@pytest.mark.parametrize(
    ("instrument_id", "total", "cutoff_set", "country", "above", "minimum"),
    [
        # AUDIT-C: >= 4 men / >= 3 women in general; Sweden >= 6 men / >= 5 women.
        ("audit-c", 4, "men", "DK", True, 4),
        ("audit-c", 3, "men", "NO", False, 4),
        ("audit-c", 3, "women", "DK", True, 3),
        ("audit-c", 2, "women", None, False, 3),
        ("audit-c", 5, "men", "SE", False, 6),
        ("audit-c", 6, "men", "SE", True, 6),
        ("audit-c", 4, "women", "SE", False, 5),
        ("audit-c", 5, "women", "SE", True, 5),
        # DUDIT: drug-related problems >= 6 men / >= 2 women.
        ("dudit", 5, "men", "SE", False, 6),
        ("dudit", 6, "men", "SE", True, 6),
        ("dudit", 1, "women", "NO", False, 2),
        ("dudit", 2, "women", "NO", True, 2),
    ],
)
def test_sex_specific_cutoffs_when_chosen(
    instrument_id: str, total: int, cutoff_set: str, country: str | None, above: bool, minimum: int
) -> None:
    result = cutoff_for(inst(instrument_id), total, cutoff_set, country)
    assert result is not None
    assert (result.above, result.min) == (above, minimum)


def test_no_cutoff_unless_chosen() -> None:
    assert cutoff_for(inst("audit-c"), 12, None, "SE") is None
    assert cutoff_for(inst("phq9"), 27, "women", "SE") is None  # PHQ-9 has no such sets


def test_every_instrument_records_source_and_licence_and_our_words_in_four_languages() -> None:
    cat = catalogue()
    assert {i.id for i in cat.instruments.values()} >= {
        "checkup", "audit", "audit-c", "dudit", "dudit-c", "phq9", "gad7",
    }  # fmt: skip
    for instrument in cat.instruments.values():
        assert instrument.licence.summary and instrument.licence.attribution
        assert instrument.source.citation
        assert set(instrument.name) == set(LOCALES)
        for missing in set(LOCALES) - set(instrument.languages):
            # Where the official wording is not in the file, the file says why.
            assert instrument.translation_notes.get(missing), (instrument.id, missing)
    assert cat.instrument("audit", "self").licence.commercial_use is False  # type: ignore[union-attr]


def _copy_data(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS_DIR, folder)
    programmes = tmp_path / "programmes.json"
    shutil.copy(PROGRAMMES_FILE, programmes)
    return folder, programmes


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("phq9.json", lambda d: d["bands"][1].update(min=6), "without gaps"),
        ("phq9.json", lambda d: d["bands"][0]["label"].pop("da"), "must be written"),
        ("phq9.json", lambda d: d["items"][0].update(key="0"), "matching regex"),
        ("phq9.json", lambda d: d["items"].pop(3), "keyed"),
        ("phq9.json", lambda d: d["items"][0].update(min=0, max=3), "either options"),
        ("phq9.json", lambda d: d.update(colour="blue"), "unknown field"),
        ("phq9.json", lambda d: d["safety"][0].update(min=4), "can never fire"),
        ("audit.json", lambda d: d.update(short_form="audit-x"), "short form"),
        ("checkup.json", lambda d: d["items"][0]["text"].pop("nb"), "lacks"),
        ("audit-c.json", lambda d: d["items_from"].update(keys=["1", "11"]), "no item 11"),
        # A published language ships only with its version and source.
        ("phq9.json", lambda d: d["translations"].pop("sv"), "version and source"),
        ("phq9.json", lambda d: d["items"][2]["text"].pop("nb"), "lacks"),
        ("audit-c.json", lambda d: d.update(languages=["sv", "en"]), "must be audit's"),
        ("audit.json", lambda d: d["national"]["SE"]["bands"][0].update(id="zone9"), "no band"),
        ("audit.json", lambda d: d["national"]["NO"]["bands"][0]["label"].pop("en"), "written"),
    ],
)
def test_a_broken_data_file_stops_the_start(
    tmp_path: Path, file: str, change: Any, message: str
) -> None:
    folder, programmes = _copy_data(tmp_path)
    _edit(folder / file, change)
    with pytest.raises(DefinitionError, match=message):
        load_catalogue(folder, programmes)


def test_adding_an_instrument_needs_no_code(tmp_path: Path) -> None:
    folder, programmes = _copy_data(tmp_path)
    data = json.loads((folder / "gad7.json").read_text(encoding="utf-8"))
    data.update(id="gad2", title="GAD-2", items=data["items"][:2], bands=[], short_form=None)
    (folder / "gad2.json").write_text(json.dumps(data), encoding="utf-8")
    loaded = load_catalogue(folder, programmes).instrument("gad2", "relative")
    assert loaded is not None and loaded.max_score == 6
