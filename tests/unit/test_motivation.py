"""Money not spent and the person's own patterns: the pure rules, table-driven."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fotfeste.motivation.logic import CheckinFact, default_currency, insights, money_saved, to_minor


@pytest.mark.parametrize(
    ("amount", "per", "days", "saved"),
    [
        (to_minor(150), "day", 10, 1500.0),
        (to_minor(700), "week", 14, 1400.0),
        (to_minor(700), "week", 1, 100.0),
        (to_minor(3650), "month", 12, 1440.0),  # 3650 × 12 / 365 per day
        (to_minor(99.99), "day", 3, 299.97),
        (to_minor(10), "week", 1, 1.43),  # 1.428… rounds half up to the cent
        (0, "day", 100, 0.0),
        (to_minor(150), "day", 0, 0.0),
    ],
)
def test_money_saved_counts_drug_free_days_only(
    amount: int, per: str, days: int, saved: float
) -> None:
    assert money_saved(amount, per, days) == saved


@pytest.mark.parametrize(
    ("country", "currency"),
    [("SE", "SEK"), ("NO", "NOK"), ("DK", "DKK"), ("FI", "EUR"), (None, "EUR")],
)
def test_currency_follows_the_country(country: str | None, currency: str) -> None:
    assert default_currency(country) == currency


TODAY = date(2026, 3, 16)  # a Monday


def fact(day: date, used: bool = False, craving: int | None = None, hour: int = 20) -> CheckinFact:
    made = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC) - timedelta(hours=1)
    return CheckinFact(day=day, used=used, craving=craving, mood=3, created_at=made)


def test_no_patterns_before_four_weeks() -> None:
    first = TODAY - timedelta(days=27)
    found = insights(
        [fact(first, craving=5)], [], today=TODAY, timezone="Europe/Oslo", first_checkin=first
    )
    assert not found.enough_data and found.craving_by_weekday == [] and found.finding is None


def test_craving_by_weekday_and_time_of_day() -> None:
    monday, saturday = date(2026, 3, 9), date(2026, 3, 14)
    facts = [
        fact(monday, craving=2, hour=8),  # 08:00 in Oslo: morning
        fact(saturday, craving=8, hour=22),  # 22:00: evening
        fact(saturday - timedelta(days=7), craving=6, hour=23),
        # Checked in for Friday on Saturday: its craving counts for Friday, its hour says nothing.
        CheckinFact(date(2026, 3, 13), False, 4, 3, datetime(2026, 3, 14, 9, tzinfo=UTC)),
    ]
    found = insights(
        facts, [], today=TODAY, timezone="Europe/Oslo", first_checkin=TODAY - timedelta(weeks=5)
    )
    by_day = {w.weekday: w for w in found.craving_by_weekday}
    assert by_day[1].average == 2 and by_day[6].average == 7 and by_day[5].average == 4
    assert by_day[0].average is None and by_day[0].checkins == 0
    parts = {p.part: (p.average, p.checkins) for p in found.craving_by_time_of_day}
    assert parts == {
        "morning": (2, 1),
        "afternoon": (None, 0),
        "evening": (7, 2),
        "night": (None, 0),
    }


@pytest.mark.parametrize(
    ("used_with", "used_without", "finding"),
    [
        (0, 2, "fewer_use_days_with_meetings"),
        (2, 0, "more_use_days_with_meetings"),
        (1, 1, "same"),
    ],
)
def test_weeks_with_and_without_a_meeting(used_with: int, used_without: int, finding: str) -> None:
    with_week, without_week = date(2026, 3, 2), date(2026, 2, 23)
    facts = [fact(with_week + timedelta(days=i), used=i < used_with, craving=3) for i in range(5)]
    facts += [
        fact(without_week + timedelta(days=i), used=i < used_without, craving=6) for i in range(5)
    ]
    found = insights(
        facts,
        [with_week + timedelta(days=2)],
        today=TODAY,
        timezone="Europe/Oslo",
        first_checkin=without_week - timedelta(weeks=2),
    )
    assert found.weeks_with_meeting.weeks == 1 and found.weeks_without_meeting.weeks == 1
    assert found.weeks_with_meeting.days_with_use_per_week == used_with
    assert found.weeks_without_meeting.average_craving == 6
    assert found.finding == finding


def test_no_finding_without_weeks_of_both_kinds() -> None:
    week = date(2026, 3, 2)
    found = insights(
        [fact(week, used=True)],
        [],
        today=TODAY,
        timezone="Europe/Oslo",
        first_checkin=week - timedelta(weeks=4),
    )
    assert found.weeks_with_meeting.weeks == 0 and found.finding is None
    assert [m.week_start for m in found.mood_by_week] == ["2026-03-02"]
