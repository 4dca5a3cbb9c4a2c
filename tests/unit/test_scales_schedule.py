"""Follow-up schedules: due dates by calendar months and weeks, windows, statuses, short forms."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from fotfeste.scales.definitions import DefinitionError, catalogue
from fotfeste.scales.help import load_resources, resources_for
from fotfeste.scales.schedule import add_months, followups, points
from fotfeste.settings import settings_from_env


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2026, 8, 15), 6, date(2027, 2, 15)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def _schedule(programme: str, start: date, today: date, answered=(), role="self", locale="en"):  # type: ignore[no-untyped-def]
    cat = catalogue()
    return followups(
        cat, cat.programmes[programme], start, today, role=role, locale=locale, answered=answered
    )


def test_aftercare_points_and_statuses_over_time() -> None:
    start = date(2026, 1, 31)
    answered = [("checkup", date(2026, 1, 31)), ("phq9", date(2026, 3, 2))]
    entries = _schedule("aftercare", start, date(2026, 3, 10), answered)
    assert [e.key for e in entries] == ["baseline", "m1", "m3", "m6", "m12"]
    assert [e.due_date.isoformat() for e in entries] == [
        "2026-01-31", "2026-02-28", "2026-04-30", "2026-07-31", "2027-01-31",
    ]  # fmt: skip
    # Only the checkup is required: a PHQ-9 alone does not complete the 1-month point.
    assert [e.status for e in entries] == ["done", "due", "upcoming", "upcoming", "upcoming"]
    assert entries[0].completed_on == date(2026, 1, 31)
    # due - 7 would be 21 Feb, the last day of the baseline window: it opens the day after.
    assert entries[1].window_start == date(2026, 2, 22)
    assert entries[1].window_end == date(2026, 3, 21)  # due + 21
    later = _schedule("aftercare", start, date(2026, 3, 22), answered)
    assert later[1].status == "missed"
    answered.append(("checkup", date(2026, 3, 21)))
    assert _schedule("aftercare", start, date(2026, 3, 22), answered)[1].status == "done"


def test_aftercare_windows_never_overlap_and_one_answer_counts_once() -> None:
    entries = _schedule("aftercare", date(2026, 2, 1), date(2027, 6, 1))
    for before, after in itertools.pairwise(entries):
        assert before.window_end < after.window_start
    # One checkup on the 1-month due date completes that point only.
    done = _schedule(
        "aftercare", date(2026, 2, 1), date(2026, 3, 1), [("checkup", date(2026, 3, 1))]
    )
    assert [e.status for e in done][:2] == ["missed", "done"]


def test_long_forms_yearly_short_forms_in_between() -> None:
    entries = _schedule("aftercare", date(2026, 1, 1), date(2026, 1, 1))
    assert entries[0].offered == ["audit", "dudit", "phq9", "gad7"]
    for entry in entries[1:4]:
        assert entry.offered == ["audit-c", "dudit-c", "phq9", "gad7"]
    assert entries[4].offered == ["audit", "dudit", "phq9", "gad7"]  # 12 months: a year has passed
    assert all(e.instruments == ["checkup"] for e in entries)


def test_relatives_are_offered_only_their_own_scales() -> None:
    entries = _schedule("aftercare", date(2026, 1, 1), date(2026, 1, 1), role="relative")
    assert entries[0].offered == ["phq9", "gad7"]
    assert entries[0].instruments == ["checkup"]


def test_waiting_list_every_two_weeks_while_waiting() -> None:
    start = date(2026, 3, 2)
    entries = _schedule("waiting-list", start, date(2026, 4, 1), locale="sv")
    assert [e.due_date for e in entries] == [start + timedelta(days=14 * n) for n in range(4)]
    assert [e.label for e in entries] == ["Start", "Vecka 2", "Vecka 4", "Vecka 6"]
    assert [e.status for e in entries] == ["missed", "missed", "due", "upcoming"]
    # The schedule always shows the next one after today, and grows as time passes.
    assert len(_schedule("waiting-list", start, date(2026, 6, 1))) == 8
    cat = catalogue()
    assert len(points(cat.programmes["waiting-list"], start, date(2040, 1, 1))) == 120


def test_clinic_programme_intake_midway_final() -> None:
    start = date(2026, 3, 16)
    entries = _schedule("clinic-16", start, date(2026, 5, 11), [("checkup", date(2026, 3, 14))])
    assert [(e.key, e.due_date) for e in entries] == [
        ("intake", start),
        ("w8", date(2026, 5, 11)),
        ("w16", date(2026, 7, 6)),
    ]
    # A checkup two days before intake counts: the window opens a week before.
    assert [e.status for e in entries] == ["done", "due", "upcoming"]


@pytest.mark.parametrize(
    ("country", "locale", "first_phone", "count"),
    [
        ("SE", "sv", "90101", 3),
        ("NO", "nb", "116 123", 5),
        ("DK", "da", "70 20 12 01", 8),
        ("DE", "en", None, 0),
    ],
)
def test_crisis_resources_by_country(
    country: str, locale: str, first_phone: str | None, count: int
) -> None:
    found = resources_for(load_resources(), country, locale, crisis_only=True)
    assert len(found) == count
    if found:
        assert found[0].phone == first_phone and found[0].kind == "crisis_line"
        assert all(r.source.startswith(("https://", "http://")) and r.checked for r in found)
    assert resources_for(load_resources(), None, "en") == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"source": "ftp://example.invalid"}, "https"),
        ({"checked": "2025-13"}, "not a date"),
        ({"region": "hovedstaden"}, "not a region of SE"),
        ({"phone": "ring us"}, "matching regex"),
        ({"phone": None, "url": None}, "phone or URL"),
        ({"name": {"sv": "Bara svenska"}}, "English name"),
        ({"kind": "hotline"}, "kind"),
    ],
)
def test_a_deployment_file_without_sources_is_refused(
    tmp_path: Path, entry: dict[str, object], message: str
) -> None:
    good = {
        "id": "se-line", "name": {"en": "A line"}, "phone": "112", "url": None,
        "hours": "24/7", "country": "SE", "languages": ["sv"], "kind": "support",
        "source": "https://example.invalid/line",
    }  # fmt: skip
    path = tmp_path / "resources.json"
    path.write_text(json.dumps({"resources": [good | entry]}), encoding="utf-8")
    with pytest.raises(DefinitionError, match=message):
        load_resources(path)


def test_crisis_resources_path_comes_from_the_environment() -> None:
    settings = settings_from_env({"FOTFESTE_CRISIS_RESOURCES": "/etc/fotfeste/help.json"})
    assert settings.crisis_resources == Path("/etc/fotfeste/help.json")
    assert settings_from_env({}).crisis_resources is None
