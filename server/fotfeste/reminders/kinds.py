"""The kinds of reminder: when each fires and what it says. A new kind is one entry here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.recovery.api import progress_for_account
from fotfeste.reminders.logic import QuietHours, next_daily


@dataclass(frozen=True)
class Setup:
    """One account's reminder of one kind, as the scheduler sees it."""

    account_id: str
    locale: str
    zone: ZoneInfo
    discreet: bool
    at: time
    days: frozenset[int]
    minutes_before: int
    quiet: QuietHours | None


# What the notification says, as text parameters; None when there is nothing to say this time
# (e.g. no milestone today). Called only when the reminder is due.
MessageFn = Callable[[Database, Clock, Setup, datetime], Awaitable[dict[str, str] | None]]
# The next instant to wake up for this reminder, strictly after `after`; None: never.
NextFireFn = Callable[[Database, Clock, Setup, datetime], Awaitable[datetime | None]]


@dataclass(frozen=True)
class Kind:
    name: str
    url: str  # the PWA screen the notification opens
    urgency: str
    ttl: timedelta  # how long a push service keeps it for a phone that is offline
    grace: timedelta  # found due later than this (server down): skipped, not sent late
    default_time: str
    message: MessageFn
    next_fire: NextFireFn
    # A kind whose domain is not on this server yet; PUT answers 400 rather than pretending.
    available: bool = True

    @property
    def topic(self) -> str:
        # Same topic: a newer reminder of this kind replaces an unseen older one on the service.
        return f"fotfeste-{self.name}"


async def daily_next_fire(_: Database, __: Clock, setup: Setup, after: datetime) -> datetime | None:
    return next_daily(after, setup.at, setup.days, setup.zone, setup.quiet)


async def _always(_: Database, __: Clock, ___: Setup, ____: datetime) -> dict[str, str] | None:
    return {}


async def _not_available(
    _: Database, __: Clock, ___: Setup, ____: datetime
) -> dict[str, str] | None:
    return None


CHECKIN = Kind(
    name="checkin",
    url="/#/checkin",
    urgency="normal",
    ttl=timedelta(hours=4),
    grace=timedelta(hours=2),
    default_time="20:00",
    message=_always,
    next_fire=daily_next_fire,
)


async def _milestone_message(
    db: Database, clock: Clock, setup: Setup, _: datetime
) -> dict[str, str] | None:
    """Only on the morning the current streak reaches a milestone (wakes daily, mostly silent)."""
    progress = await progress_for_account(db, clock, setup.account_id, setup.zone.key)
    days = progress.current_streak_days
    if days > 0 and days in progress.milestones_reached:
        return {"days": str(days)}
    return None


# Their domains (follow-ups, meetings) are being built on other branches; each becomes
# available by giving it a message (and for meetings a next_fire) that asks that domain.
FOLLOWUP = Kind(
    name="followup",
    url="/#/followups",
    urgency="normal",
    ttl=timedelta(hours=12),
    grace=timedelta(hours=6),
    default_time="10:00",
    message=_not_available,
    next_fire=daily_next_fire,
    available=False,
)
MEETING = Kind(
    name="meeting",
    url="/#/meetings",
    urgency="high",
    ttl=timedelta(hours=1),
    grace=timedelta(minutes=10),
    default_time="00:00",
    message=_not_available,
    next_fire=daily_next_fire,
    available=False,
)
MILESTONE = Kind(
    name="milestone",
    url="/#/progress",
    urgency="normal",
    ttl=timedelta(hours=12),
    grace=timedelta(hours=6),
    default_time="09:00",
    message=_milestone_message,
    next_fire=daily_next_fire,
)

KINDS: dict[str, Kind] = {k.name: k for k in (CHECKIN, FOLLOWUP, MEETING, MILESTONE)}
