"""Pure rules of reminders: when one fires (its next instant, quiet hours), stored days and times.

The wall-clock rules under them (DST gaps and overlaps, weekday numbers) are fotfeste.wallclock's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal, overload
from zoneinfo import ZoneInfo

from fotfeste.errors import InvalidInput
from fotfeste.wallclock import ALL_DAYS, wall_instant, weekday

# ALL_DAYS is the API's week (wallclock's), re-exported: a reminder's default days.
__all__ = [
    "ALL_DAYS",
    "QuietHours",
    "decode_days",
    "encode_days",
    "fires_at",
    "is_late",
    "next_daily",
    "parse_hhmm",
    "quiet_hours",
]


def parse_hhmm(text: str, field: str) -> time:
    try:
        hours, minutes = text.split(":")
        if len(hours) != 2 or len(minutes) != 2:
            raise ValueError(text)
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(f"{field} must be a time like 07:30", field=field) from None


def encode_days(days: Iterable[int]) -> str:
    """Stored as digits, e.g. '12345' for Monday to Friday."""
    return "".join(str(d) for d in sorted(set(days)))


def decode_days(text: str) -> frozenset[int]:
    return frozenset(int(c) for c in text)


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def contains(self, wall: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end  # wraps past midnight


def quiet_hours(start: str | None, end: str | None) -> QuietHours | None:
    """Quiet hours as stored ("22:00", "07:00"); None when the person has none."""
    if not start or not end:
        return None
    return QuietHours(parse_hhmm(start, "start"), parse_hhmm(end, "end"))


@overload
def fires_at(
    wanted: datetime, zone: ZoneInfo, quiet: QuietHours | None, *, can_wait: Literal[True] = ...
) -> datetime: ...
@overload
def fires_at(
    wanted: datetime, zone: ZoneInfo, quiet: QuietHours | None, *, can_wait: bool
) -> datetime | None: ...
def fires_at(
    wanted: datetime, zone: ZoneInfo, quiet: QuietHours | None, *, can_wait: bool = True
) -> datetime | None:
    """When a notification meant for `wanted` goes out: the rule every reminder kind and every
    push producer follows.

    At `wanted` itself, unless the person's wall clock (to the minute) is then in their quiet
    hours. Then at the end of the quiet hours if it can wait (a daily reminder, a supporter's
    news), or not at all (None) if it cannot: a meeting reminder after the meeting began is no
    use. Quiet hours that end at a wall time the night skips (a DST gap) end when the clock
    jumps past it (fotfeste.wallclock).
    """
    if quiet is None:
        return wanted
    local = wanted.astimezone(zone)
    if not quiet.contains(local.time().replace(second=0, microsecond=0)):
        return wanted
    if not can_wait:
        return None
    end = wall_instant(local.date(), quiet.end, zone)
    if end <= wanted:
        end = wall_instant(local.date() + timedelta(days=1), quiet.end, zone)
    return end


def next_daily(
    after: datetime,
    at: time,
    days: frozenset[int],
    zone: ZoneInfo,
    quiet: QuietHours | None = None,
) -> datetime | None:
    """The first instant strictly after `after` when the wall clock in `zone` shows `at` on one of
    `days`, moved past quiet hours. None when no day is chosen."""
    if not days:
        return None
    start = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if weekday(day) not in days:
            continue
        candidate = wall_instant(day, at, zone)
        if candidate > after:
            return fires_at(candidate, zone, quiet)
    return None  # unreachable with a non-empty day set


def is_late(due: datetime, now: datetime, grace: timedelta) -> bool:
    """A reminder found due long after its time (the server was down) is skipped, not sent."""
    return now - due > grace
