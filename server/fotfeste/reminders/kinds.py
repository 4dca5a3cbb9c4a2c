"""The kinds of reminder: when each fires and what it says. A new kind is one entry here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fotfeste.clock import Clock, local_today
from fotfeste.db import Database
from fotfeste.meetings.service import FavouriteMeeting, favourite_meetings_for_account, next_start
from fotfeste.recovery.service import progress_for_account
from fotfeste.reminders.logic import QuietHours, fires_at, next_daily
from fotfeste.scales.service import followups_for_account
from fotfeste.wallclock import weekday


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
    # What it says and when it fires next depend only on the reminder's settings and the
    # account's language, zone and discreet flag, never on the account's own data: the scheduler
    # decides once for every due row alike in those (one zone calculation for thousands).
    shared: bool = False

    @property
    def topic(self) -> str:
        # Same topic: a newer reminder of this kind replaces an unseen older one on the service.
        return f"fotfeste-{self.name}"


async def daily_next_fire(_: Database, __: Clock, setup: Setup, after: datetime) -> datetime | None:
    return next_daily(after, setup.at, setup.days, setup.zone, setup.quiet)


async def _always(_: Database, __: Clock, ___: Setup, ____: datetime) -> dict[str, str] | None:
    return {}


CHECKIN = Kind(
    name="checkin",
    url="/#/checkin",
    urgency="normal",
    ttl=timedelta(hours=4),
    grace=timedelta(hours=2),
    default_time="20:00",
    message=_always,
    next_fire=daily_next_fire,
    shared=True,
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


def first_chosen_day(day: date, days: frozenset[int]) -> date:
    """`day` itself or the first day after it that is one of the reminder's days."""
    return next((d for d in (day + timedelta(days=n) for n in range(7)) if weekday(d) in days), day)


async def _followup_message(
    db: Database, clock: Clock, setup: Setup, _: datetime
) -> dict[str, str] | None:
    """On the day a follow-up's window opens and, if it is still not done, on its due date;
    with only some days chosen, on the first chosen day from each (else it might never speak)."""
    today = local_today(clock, setup.zone.key)
    entries = await followups_for_account(
        db, clock, setup.account_id, setup.zone.key, locale=setup.locale
    )
    for entry in entries:
        nudges = (entry.window_start, entry.due_date)
        if entry.status == "due" and today in {first_chosen_day(d, setup.days) for d in nudges}:
            return {"label": entry.label}
    return None


# Favourites change without telling the reminders: wake at least this often to look again.
MEETING_RECHECK = timedelta(hours=1)


def meeting_reminders(
    favourites: list[FavouriteMeeting], setup: Setup, after: datetime
) -> list[tuple[datetime, FavouriteMeeting]]:
    """(reminder instant, meeting) strictly after `after`, soonest first; an occurrence whose
    reminder would fall in quiet hours is skipped for the next one (a late one is no use)."""
    lead = timedelta(minutes=setup.minutes_before)
    found = []
    for meeting in favourites:
        start = next_start(meeting.day, meeting.time, meeting.timezone, after + lead)
        for _ in range(3):
            # In UTC: `lead` is real minutes before the start, also across a change of clocks.
            at = start.astimezone(UTC) - lead
            fire = fires_at(at, setup.zone, setup.quiet, can_wait=False) if at > after else None
            if fire is not None:
                found.append((fire, meeting))
                break
            start = next_start(
                meeting.day, meeting.time, meeting.timezone, start + timedelta(minutes=1)
            )
    return sorted(found, key=lambda pair: pair[0])


async def _meeting_next_fire(
    db: Database, _: Clock, setup: Setup, after: datetime
) -> datetime | None:
    favourites = await favourite_meetings_for_account(db, setup.account_id)
    upcoming = meeting_reminders(favourites, setup, after)
    recheck = after + MEETING_RECHECK
    return min(upcoming[0][0], recheck) if upcoming else recheck


async def _meeting_message(
    db: Database, _: Clock, setup: Setup, due: datetime
) -> dict[str, str] | None:
    """The favourite that starts `minutes_before` after `due`; None for a re-check wake-up."""
    favourites = await favourite_meetings_for_account(db, setup.account_id)
    for at, meeting in meeting_reminders(favourites, setup, due - timedelta(minutes=1)):
        if abs((at - due).total_seconds()) < 60:
            start = (at + timedelta(minutes=setup.minutes_before)).astimezone(
                ZoneInfo(meeting.timezone)
            )
            return {"name": meeting.name[:120], "time": start.strftime("%H:%M")}
    return None


FOLLOWUP = Kind(
    name="followup",
    url="/#/scales",
    urgency="normal",
    ttl=timedelta(hours=12),
    grace=timedelta(hours=6),
    default_time="10:00",
    message=_followup_message,
    next_fire=daily_next_fire,
)
MEETING = Kind(
    name="meeting",
    url="/#/meetings",
    urgency="high",
    ttl=timedelta(hours=1),
    grace=timedelta(minutes=10),
    default_time="00:00",
    message=_meeting_message,
    next_fire=_meeting_next_fire,
)
MILESTONE = Kind(
    name="milestone",
    url="/#/home",
    urgency="normal",
    ttl=timedelta(hours=12),
    grace=timedelta(hours=6),
    default_time="09:00",
    message=_milestone_message,
    next_fire=daily_next_fire,
)

KINDS: dict[str, Kind] = {k.name: k for k in (CHECKIN, FOLLOWUP, MEETING, MILESTONE)}
