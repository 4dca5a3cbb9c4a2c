"""Pure rules of reminders: the next UTC instant of a local time, DST gaps, quiet hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fotfeste.errors import InvalidInput

ALL_DAYS = frozenset(range(7))  # Meeting Guide weekdays: 0 = Sunday … 6 = Saturday


def weekday(day: date) -> int:
    """The Meeting Guide weekday of a date (0 = Sunday)."""
    return (day.weekday() + 1) % 7


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


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a date.

    In the spring-forward gap (02:30 does not exist that night) fold=0 reads the time with the
    offset from before the jump, which lands as far past the jump as the time was past its start:
    02:30 becomes 03:30, so the reminder still comes that night. In the autumn overlap (02:30
    happens twice) fold=0 is the first one, so it fires once.
    """
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


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


def after_quiet_hours(instant: datetime, zone: ZoneInfo, quiet: QuietHours | None) -> datetime:
    """Move an instant that falls in quiet hours to the end of them (the same instant otherwise)."""
    if quiet is None:
        return instant
    local = instant.astimezone(zone)
    if not quiet.contains(local.time().replace(second=0, microsecond=0)):
        return instant
    end = local_instant(local.date(), quiet.end, zone)
    if end <= instant:
        end = local_instant(local.date() + timedelta(days=1), quiet.end, zone)
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
        candidate = local_instant(day, at, zone)
        if candidate > after:
            return after_quiet_hours(candidate, zone, quiet)
    return None  # unreachable with a non-empty day set


def is_late(due: datetime, now: datetime, grace: timedelta) -> bool:
    """A reminder found due long after its time (the server was down) is skipped, not sent."""
    return now - due > grace
