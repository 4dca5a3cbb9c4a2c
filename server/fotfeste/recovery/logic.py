"""The rules of counting drug-free days (api.md "Progress"), as pure functions on calendar dates."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from fotfeste.dates import check_near
from fotfeste.errors import InvalidInput

# api.md: 1, 7, 14, 30, 60, 90, 180, 270, 365, 545, 730, then every further 365.
FIXED_MILESTONES: tuple[int, ...] = (1, 7, 14, 30, 60, 90, 180, 270, 365, 545, 730)
YEARLY = 365
RECENT_DAYS = 30
CHECKIN_YEARS_BACK = 2
EARLIEST_START = date(1900, 1, 1)
MAX_RANGE_DAYS = 731

DayStatus = Literal["used", "drug_free", "none"]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Milestone:
    days: int
    date: date


@dataclass(frozen=True)
class Span:
    """A streak told as a person would: years, months and days on the calendar."""

    years: int
    months: int
    days: int


@dataclass(frozen=True)
class Progress:
    today: date
    start_date: date | None
    streak_start: date | None
    current_streak_days: int
    current_streak: Span
    longest_streak_days: int
    drug_free_days_total: int
    days_used_last_30: int
    milestones_reached: list[int]
    next_milestone: Milestone | None
    recent: list[tuple[date, DayStatus]]


# --- time ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; the 29–31st fall back to the month's last day.

    So a streak that began on 29 February has its anniversaries on 28 February in common years.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def span(start: date, end: date) -> Span:
    """Whole years, months and days from `start` to `end` (zero when end is not after start)."""
    if end <= start:
        return Span(0, 0, 0)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return Span(months // 12, months % 12, (end - add_months(start, months)).days)


# --- milestones ----------------------------------------------------------------------------


def milestones_up_to(days: int) -> list[int]:
    """Every milestone of at most `days` days, smallest first."""
    reached = [m for m in FIXED_MILESTONES if m <= days]
    further = FIXED_MILESTONES[-1] + YEARLY
    while further <= days:
        reached.append(further)
        further += YEARLY
    return reached


def next_milestone_days(current_days: int) -> int:
    """The smallest milestone above `current_days`."""
    for milestone in FIXED_MILESTONES:
        if milestone > current_days:
            return milestone
    beyond = current_days - FIXED_MILESTONES[-1]
    return FIXED_MILESTONES[-1] + (beyond // YEARLY + 1) * YEARLY


def next_milestone(streak_start: date, current_days: int) -> Milestone:
    """The next milestone of a streak, and the date it is reached (streak_start + days)."""
    days = next_milestone_days(current_days)
    return Milestone(days, streak_start + timedelta(days=days))


# --- progress ------------------------------------------------------------------------------


def progress(start_date: date | None, today: date, checkins: Mapping[date, bool]) -> Progress:
    """Counts by api.md "Progress" from the check-ins (date -> used).

    `checkins` must hold every use day from `start_date` on and every check-in of the last 30
    days; other days may be left out (days without a check-in count as drug-free). A use day after
    `today` (the account moved west across the date line) starts the streak after it, so the
    current streak is 0 until then.
    """
    window_start = today - timedelta(days=RECENT_DAYS - 1)
    recent: list[tuple[date, DayStatus]] = []
    for offset in range(RECENT_DAYS):
        day = window_start + timedelta(days=offset)
        used = checkins.get(day)
        recent.append((day, "none" if used is None else "used" if used else "drug_free"))
    days_used_last_30 = sum(1 for _, status in recent if status == "used")

    if start_date is None:
        return Progress(
            today=today,
            start_date=None,
            streak_start=None,
            current_streak_days=0,
            current_streak=Span(0, 0, 0),
            longest_streak_days=0,
            drug_free_days_total=0,
            days_used_last_30=days_used_last_30,
            milestones_reached=[],
            next_milestone=None,
            recent=recent,
        )

    use_days = sorted(day for day, used in checkins.items() if used and day >= start_date)
    run_start, longest = start_date, 0
    for day in use_days:
        longest = max(longest, (min(day, today) - run_start).days)
        run_start = day + timedelta(days=1)
    streak_start = run_start
    current = max(0, (today - streak_start).days)
    longest = max(longest, current)
    used_before_today = sum(1 for day in use_days if day < today)
    total = max(0, (today - start_date).days - used_before_today)
    return Progress(
        today=today,
        start_date=start_date,
        streak_start=streak_start,
        current_streak_days=current,
        current_streak=span(streak_start, today),
        longest_streak_days=longest,
        drug_free_days_total=total,
        days_used_last_30=days_used_last_30,
        milestones_reached=milestones_up_to(current),
        next_milestone=next_milestone(streak_start, current),
        recent=recent,
    )


def first_day_needed(start_date: date | None, today: date) -> date:
    """The earliest check-in `progress` looks at: the 30-day window or the start date."""
    window_start = today - timedelta(days=RECENT_DAYS - 1)
    return window_start if start_date is None else min(start_date, window_start)


# --- input rules ---------------------------------------------------------------------------


def parse_date(text: str, field: str) -> date:
    """A 'YYYY-MM-DD' calendar date; anything else (2026-02-30, 20260316) is refused by name."""
    if not _ISO_DATE.match(text):
        raise InvalidInput(f"{field} must be a date written YYYY-MM-DD, not {text!r}", field=field)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field}: {text} is not a date in the calendar", field=field) from None


def earliest_checkin(today: date) -> date:
    """Check-ins reach back two years (a 29 February two years back falls on the 28th)."""
    try:
        return today.replace(year=today.year - CHECKIN_YEARS_BACK)
    except ValueError:
        return today.replace(year=today.year - CHECKIN_YEARS_BACK, day=28)


def check_checkin_date(day: date, today: date) -> date:
    if day > today:
        raise InvalidInput(
            f"{day} is after today ({today}) in your time zone; check in for today or earlier",
            field="date",
        )
    if day < earliest_checkin(today):
        raise InvalidInput(
            f"{day} is more than {CHECKIN_YEARS_BACK} years back; the earliest is"
            f" {earliest_checkin(today)}",
            field="date",
        )
    return day


def check_start_date(day: date, today: date) -> date:
    if day > today:
        raise InvalidInput(
            f"The start date {day} is after today ({today}) in your time zone", field="start_date"
        )
    if day < EARLIEST_START:
        raise InvalidInput(f"The start date must be {EARLIEST_START} or later", field="start_date")
    return day


def near(day: date, today: date, field: str) -> date:
    """A date asked for in a range: from the earliest start date to two years ahead."""
    return check_near(day, today, field, earliest=EARLIEST_START)


def check_range(start: date, end: date) -> tuple[date, date]:
    if start > end:
        raise InvalidInput(f"from ({start}) must not be after to ({end})", field="from")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInput(
            f"Ask for at most {MAX_RANGE_DAYS} days at a time (from {start} to {end} is more)",
            field="from",
        )
    return start, end


def normalise_substances(used: bool, substances: Iterable[str]) -> list[str]:
    """Sorted and without repeats; only a day with use names substances."""
    names = sorted(set(substances))
    if names and not used:
        raise InvalidInput(
            "substances lists what was used; leave it out when used is false", field="substances"
        )
    return names
