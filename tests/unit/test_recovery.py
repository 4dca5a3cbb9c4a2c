"""The rules of counting drug-free days, table by table (api.md "Progress")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fotfeste.errors import InvalidInput
from fotfeste.recovery import logic
from fotfeste.recovery.logic import Span
from fotfeste.wallclock import today_in

D = date.fromisoformat


def uses(*days: str) -> dict[date, bool]:
    return {D(day): True for day in days}


# (case, start_date, today, check-ins, expected fields)
PROGRESS_CASES: list[tuple[str, str | None, str, dict[date, bool], dict[str, object]]] = [
    (
        "no start date yet",
        None,
        "2026-03-16",
        uses("2026-03-10"),
        {
            "streak_start": None,
            "current_streak_days": 0,
            "longest_streak_days": 0,
            "drug_free_days_total": 0,
            "days_used_last_30": 1,
            "milestones_reached": [],
            "next_milestone": None,
        },
    ),
    (
        "starts today",
        "2026-03-16",
        "2026-03-16",
        {},
        {
            "streak_start": D("2026-03-16"),
            "current_streak_days": 0,
            "longest_streak_days": 0,
            "drug_free_days_total": 0,
            "milestones_reached": [],
            "next_milestone": logic.Milestone(1, D("2026-03-17")),
        },
    ),
    (
        "ten days, no check-ins: days without one count as drug-free",
        "2026-03-06",
        "2026-03-16",
        {},
        {
            "current_streak_days": 10,
            "longest_streak_days": 10,
            "drug_free_days_total": 10,
            "milestones_reached": [1, 7],
            "next_milestone": logic.Milestone(14, D("2026-03-20")),
        },
    ),
    (
        "relapse on the start date: the streak starts the next day",
        "2026-03-01",
        "2026-03-16",
        uses("2026-03-01"),
        {
            "streak_start": D("2026-03-02"),
            "current_streak_days": 14,
            "longest_streak_days": 14,
            "drug_free_days_total": 14,
            "days_used_last_30": 1,
            "milestones_reached": [1, 7, 14],
            "next_milestone": logic.Milestone(30, D("2026-04-01")),
        },
    ),
    (
        "use today: streak 0, history stays, first milestone the day after tomorrow",
        "2026-01-01",
        "2026-03-16",
        uses("2026-03-16"),
        {
            "streak_start": D("2026-03-17"),
            "current_streak_days": 0,
            "longest_streak_days": 74,
            "drug_free_days_total": 74,
            "days_used_last_30": 1,
            "milestones_reached": [],
            "next_milestone": logic.Milestone(1, D("2026-03-18")),
        },
    ),
    (
        "an earlier run is the longest; totals skip use days only",
        "2025-12-01",
        "2026-03-16",
        {**uses("2026-02-20", "2026-02-21"), D("2026-03-01"): False},
        {
            "streak_start": D("2026-02-22"),
            "current_streak_days": 22,
            "longest_streak_days": 81,
            "drug_free_days_total": 103,
            "days_used_last_30": 2,
        },
    ),
    (
        "use before the start date does not break the streak but shows in the last 30 days",
        "2026-03-10",
        "2026-03-16",
        uses("2026-03-05"),
        {
            "streak_start": D("2026-03-10"),
            "current_streak_days": 6,
            "drug_free_days_total": 6,
            "days_used_last_30": 1,
        },
    ),
    (
        "use 30 days back is outside the window; 29 days back is inside",
        "2026-01-01",
        "2026-03-16",
        uses("2026-02-14", "2026-02-15"),
        {"days_used_last_30": 1, "drug_free_days_total": 72},
    ),
    (
        "leap day start: the first anniversary is 28 February",
        "2024-02-29",
        "2025-02-28",
        {},
        {
            "current_streak_days": 365,
            "current_streak": Span(1, 0, 0),
            "milestones_reached": [1, 7, 14, 30, 60, 90, 180, 270, 365],
            "next_milestone": logic.Milestone(545, D("2025-08-27")),
        },
    ),
    (
        "a year across a leap day has 366 days",
        "2023-03-01",
        "2024-03-01",
        {},
        {"current_streak_days": 366, "current_streak": Span(1, 0, 0)},
    ),
    (
        "past 730 days, a milestone every further 365",
        "2018-01-01",
        "2026-03-16",
        {},
        {
            "current_streak_days": 2996,
            "current_streak": Span(8, 2, 15),
            "milestones_reached": [*logic.FIXED_MILESTONES, 1095, 1460, 1825, 2190, 2555, 2920],
            "next_milestone": logic.Milestone(3285, D("2026-12-30")),
        },
    ),
    (
        "a use day after today (moved west across the date line) starts the streak after it",
        "2026-03-01",
        "2026-03-15",
        uses("2026-03-16"),
        {
            "streak_start": D("2026-03-17"),
            "current_streak_days": 0,
            "longest_streak_days": 14,
            "drug_free_days_total": 14,
            "next_milestone": logic.Milestone(1, D("2026-03-18")),
        },
    ),
    (
        "a start date after today (moved west) counts nothing yet",
        "2026-03-16",
        "2026-03-15",
        {},
        {
            "current_streak_days": 0,
            "longest_streak_days": 0,
            "drug_free_days_total": 0,
            "current_streak": Span(0, 0, 0),
        },
    ),
]


@pytest.mark.parametrize(
    ("start", "today", "checkins", "expected"),
    [case[1:] for case in PROGRESS_CASES],
    ids=[case[0] for case in PROGRESS_CASES],
)
def test_progress(
    start: str | None, today: str, checkins: dict[date, bool], expected: dict[str, object]
) -> None:
    result = logic.progress(None if start is None else D(start), D(today), checkins)
    for field, value in expected.items():
        assert getattr(result, field) == value, field


def test_recent_strip_tells_used_drug_free_and_missing_apart() -> None:
    checkins = {D("2026-03-16"): False, D("2026-03-15"): True, D("2026-02-15"): False}
    recent = logic.progress(D("2026-01-01"), D("2026-03-16"), checkins).recent
    assert len(recent) == 30
    assert recent[0] == (D("2026-02-15"), "drug_free")
    assert recent[-2:] == [(D("2026-03-15"), "used"), (D("2026-03-16"), "drug_free")]
    assert [status for _, status in recent[1:-2]] == ["none"] * 27


# (case, instant in UTC, zone, expected local date)
TODAY_CASES = [
    ("Stockholm, spring-forward day", "2026-03-28T23:30", "Europe/Stockholm", "2026-03-29"),
    ("Stockholm, day after spring-forward", "2026-03-29T22:30", "Europe/Stockholm", "2026-03-30"),
    ("Oslo, late on the fall-back day", "2026-10-25T22:30", "Europe/Oslo", "2026-10-25"),
    ("Oslo, after midnight, day after fall-back", "2026-10-25T23:30", "Europe/Oslo", "2026-10-26"),
    ("Kiritimati (UTC+14), tomorrow", "2026-03-16T10:00", "Pacific/Kiritimati", "2026-03-17"),
    ("Pago Pago (UTC−11), yesterday", "2026-03-16T10:00", "Pacific/Pago_Pago", "2026-03-15"),
    ("Kiritimati at 23:59 local", "2026-03-16T09:59", "Pacific/Kiritimati", "2026-03-16"),
    ("New Year in Kiritimati first", "2025-12-31T10:00", "Pacific/Kiritimati", "2026-01-01"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [case[1:] for case in TODAY_CASES],
    ids=[case[0] for case in TODAY_CASES],
)
def test_today_in_zone(instant: str, zone: str, expected: str) -> None:
    assert today_in(datetime.fromisoformat(instant).replace(tzinfo=UTC), zone) == D(expected)


# (case, start date, instant, zone, current streak days)
DST_STREAKS = [
    # 46 hours after local midnight of the 28th is two calendar days: dividing hours would say 1.
    ("spring forward: 23 hours is a day", "2026-03-28", "2026-03-29T22:30", "Europe/Stockholm", 2),
    # 48.5 hours after local midnight of the 24th is still one day at 23:30 on the 25th.
    ("fall back: 25 hours is one day", "2026-10-24", "2026-10-25T22:30", "Europe/Copenhagen", 1),
    ("same instant, UTC+14", "2026-03-10", "2026-03-16T10:00", "Pacific/Kiritimati", 7),
    ("same instant, UTC−11", "2026-03-10", "2026-03-16T10:00", "Pacific/Pago_Pago", 5),
]


@pytest.mark.parametrize(
    ("start", "instant", "zone", "days"),
    [case[1:] for case in DST_STREAKS],
    ids=[case[0] for case in DST_STREAKS],
)
def test_streaks_count_calendar_days_in_the_accounts_zone(
    start: str, instant: str, zone: str, days: int
) -> None:
    today = today_in(datetime.fromisoformat(instant).replace(tzinfo=UTC), zone)
    assert logic.progress(D(start), today, {}).current_streak_days == days


def test_time_zone_change_keeps_history_and_never_goes_negative() -> None:
    """Checked in as used on the 17th in Kiritimati, then moved to Pago Pago (today the 15th)."""
    instant = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    checkins = {D("2026-03-17"): True}
    east = logic.progress(D("2026-03-01"), today_in(instant, "Pacific/Kiritimati"), checkins)
    assert (east.current_streak_days, east.longest_streak_days) == (0, 16)
    west = logic.progress(D("2026-03-01"), today_in(instant, "Pacific/Pago_Pago"), checkins)
    assert (west.current_streak_days, west.longest_streak_days) == (0, 14)
    assert west.drug_free_days_total == 14
    # A day later in the west the use day is today: still 0, and the streak begins the 18th.
    later = logic.progress(D("2026-03-01"), D("2026-03-17"), checkins)
    assert later.current_streak_days == 0 and later.streak_start == D("2026-03-18")
    assert logic.progress(D("2026-03-01"), D("2026-03-19"), checkins).current_streak_days == 1


@pytest.mark.parametrize(
    ("current", "expected"),
    [(0, 1), (1, 7), (6, 7), (7, 14), (29, 30), (364, 365), (365, 545), (729, 730), (730, 1095),
     (1094, 1095), (1095, 1460), (3649, 3650), (3650, 4015)],
)  # fmt: skip
def test_next_milestone_days(current: int, expected: int) -> None:
    assert logic.next_milestone_days(current) == expected


def test_milestones_up_to() -> None:
    assert logic.milestones_up_to(0) == []
    assert logic.milestones_up_to(1) == [1]
    assert logic.milestones_up_to(1094)[-2:] == [545, 730]
    assert logic.milestones_up_to(1095)[-1] == 1095
    for days in range(0, 4000, 37):
        reached = logic.milestones_up_to(days)
        assert all(m <= days for m in reached)
        assert logic.next_milestone_days(days) > days
        assert logic.next_milestone_days(days) not in reached


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-16", "2026-03-16", Span(0, 0, 0)),
        ("2026-03-16", "2026-03-15", Span(0, 0, 0)),
        ("2026-01-31", "2026-02-28", Span(0, 1, 0)),
        ("2026-01-31", "2026-03-01", Span(0, 1, 1)),
        ("2024-02-29", "2025-02-28", Span(1, 0, 0)),
        ("2024-02-29", "2028-02-29", Span(4, 0, 0)),
        ("2025-05-20", "2026-03-16", Span(0, 9, 24)),
    ],
)
def test_span(start: str, end: str, expected: Span) -> None:
    assert logic.span(D(start), D(end)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("2026-02-30", "not a date in the calendar"), ("2025-02-29", "not a date in the calendar"),
     ("20260316", "YYYY-MM-DD"), ("2026-3-16", "YYYY-MM-DD"), ("today", "YYYY-MM-DD"),
     ("2026-13-01", "not a date in the calendar")],
)  # fmt: skip
def test_parse_date_refuses_impossible_dates(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        logic.parse_date(text, "date")
    assert caught.value.field == "date"


def test_parse_date_accepts_leap_day() -> None:
    assert logic.parse_date("2024-02-29", "date") == D("2024-02-29")


@pytest.mark.parametrize(
    ("day", "today", "ok"),
    [
        ("2026-03-16", "2026-03-16", True),
        ("2026-03-17", "2026-03-16", False),
        ("2024-03-16", "2026-03-16", True),
        ("2024-03-15", "2026-03-16", False),
        ("2024-02-28", "2026-02-28", True),
        ("2024-02-28", "2026-03-01", False),
        ("2026-02-28", "2028-02-29", True),
    ],
)
def test_checkin_dates_reach_back_two_years_and_not_ahead(day: str, today: str, ok: bool) -> None:
    if ok:
        assert logic.check_checkin_date(D(day), D(today)) == D(day)
    else:
        with pytest.raises(InvalidInput):
            logic.check_checkin_date(D(day), D(today))


def test_start_date_rules() -> None:
    assert logic.check_start_date(D("1990-05-01"), D("2026-03-16")) == D("1990-05-01")
    with pytest.raises(InvalidInput, match="after today"):
        logic.check_start_date(D("2026-03-17"), D("2026-03-16"))
    with pytest.raises(InvalidInput, match="1900"):
        logic.check_start_date(D("1899-12-31"), D("2026-03-16"))


def test_range_rules() -> None:
    assert logic.check_range(D("2026-01-01"), D("2026-01-01"))
    with pytest.raises(InvalidInput, match="must not be after"):
        logic.check_range(D("2026-01-02"), D("2026-01-01"))
    last = D("2026-03-16")
    assert logic.check_range(last - timedelta(days=logic.MAX_RANGE_DAYS - 1), last)
    with pytest.raises(InvalidInput, match="at most"):
        logic.check_range(last - timedelta(days=logic.MAX_RANGE_DAYS), last)


def test_substances_are_sorted_unique_and_only_on_use_days() -> None:
    assert logic.normalise_substances(True, ["opioids", "alcohol", "opioids"]) == [
        "alcohol",
        "opioids",
    ]
    assert logic.normalise_substances(False, []) == []
    with pytest.raises(InvalidInput, match="used is false"):
        logic.normalise_substances(False, ["alcohol"])


def test_first_day_needed_covers_start_and_window() -> None:
    today = D("2026-03-16")
    assert logic.first_day_needed(None, today) == D("2026-02-15")
    assert logic.first_day_needed(D("2026-03-10"), today) == D("2026-02-15")
    assert logic.first_day_needed(D("2020-01-01"), today) == D("2020-01-01")
