"""Wall-clock rules, each written once: today in a zone, a local time on a date, weekday numbers.

Reminders, meetings, check-ins and schedules all turn "20:00 in Europe/Stockholm on 29 March"
into an instant, or an instant into "today"; this module is the one place that does, so the DST
rule (a local time that does not exist, or exists twice) is the same everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone of that name; ValueError (not a 500 deep inside) for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def today_in(instant: datetime, timezone: str) -> date:
    """The calendar date at `instant` in an IANA zone: a day is a date, so DST never shifts it."""
    return instant.astimezone(zone(timezone)).date()


def wall_instant(day: date, at: time, where: ZoneInfo | str) -> datetime:
    """The UTC instant at which the wall clock in a zone shows `at` on `day`.

    In the spring-forward gap (02:30 does not exist that night) the time is read with the offset
    from before the jump, which lands as far past the jump as the time was past its start: 02:30
    becomes 03:30, as clocks and calendars do, so a reminder or a meeting still happens that
    night. In the autumn overlap (02:30 happens twice) the first one, in summer time, is meant,
    so a reminder fires once.
    """
    tz = zone(where) if isinstance(where, str) else where
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def next_midnight(instant: datetime, timezone: str) -> datetime:
    """The UTC instant the zone's next calendar day begins (01:00 where midnight is skipped)."""
    return wall_instant(today_in(instant, timezone) + timedelta(days=1), time(0), timezone)


# Weekdays as the API counts them everywhere (reminders' days, meetings' day): Meeting Guide's
# 0 = Sunday … 6 = Saturday. Python's date.weekday() counts 0 = Monday; this is the one
# conversion between the two.
ALL_DAYS = frozenset(range(7))


def weekday(day: date) -> int:
    """The API's weekday of a date (0 = Sunday … 6 = Saturday)."""
    return (day.weekday() + 1) % 7
