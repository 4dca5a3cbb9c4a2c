"""The one injectable source of "now", so tests can set the time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol, runtime_checkable

from fotfeste.wallclock import today_in


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told otherwise (tests and benchmarks)."""

    def __init__(self, instant: datetime) -> None:
        self.set(instant)

    def now(self) -> datetime:
        return self._instant

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._instant = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._instant += delta


def local_today(clock: Clock, timezone: str) -> date:
    """Today's calendar date in an IANA time zone (the rule is wallclock.today_in)."""
    return today_in(clock.now(), timezone)


def isoformat_utc(instant: datetime) -> str:
    """An instant as stored: ISO-8601 in UTC with offset, second precision."""
    return instant.astimezone(UTC).isoformat(timespec="seconds")
