"""Bounds on the dates a person sends: near today, so every sum of dates stays in the calendar.

A date of year 1 or 9999 is valid ISO but overflows as soon as a schedule subtracts a window or
adds a month (issue 22): every route refuses dates outside its bound with a 400 naming the field.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from fotfeste.errors import InvalidInput
from fotfeste.wallclock import next_midnight

YEARS = 2  # as far back, or ahead, as any date a person sends may lie (check-ins, programmes)


def years_from(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February falls on the 28th in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_near(
    day: date,
    today: date,
    field: str,
    *,
    back: int = YEARS,
    ahead: int = YEARS,
    earliest: date | None = None,
) -> date:
    """`day` if it lies between `back` years before and `ahead` years after today (or from
    `earliest`, when given, instead of `back`); else a 400 that names the field and the range."""
    low = earliest if earliest is not None else years_from(today, -back)
    high = years_from(today, ahead)
    if not low <= day <= high:
        raise InvalidInput(f"{field} must lie between {low} and {high}, not {day}", field=field)
    return day


def seconds_to_midnight(now: datetime, timezone: str) -> int:
    """Whole seconds from `now` to the next midnight in the zone (for a per-day Retry-After);
    real seconds, so a night with a change of clocks is an hour shorter or longer."""
    return max(1, math.ceil((next_midnight(now, timezone) - now).total_seconds()))
