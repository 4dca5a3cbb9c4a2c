"""The scheduler: turns due reminders into outbox rows and moves each to its next instant."""

from __future__ import annotations

import asyncio
import logging
import traceback
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fotfeste.accounts.store import notification_profiles
from fotfeste.clock import Clock
from fotfeste.db import Database, Row
from fotfeste.push.outbox import Notification
from fotfeste.push.texts import notification
from fotfeste.reminders import store
from fotfeste.reminders.kinds import KINDS, Kind, Setup
from fotfeste.reminders.logic import QuietHours, decode_days, is_late, parse_hhmm

log = logging.getLogger(__name__)

# Rows per round: the Python work of a round (a few ms) is short enough not to stall the API.
BATCH = 200


def quiet_hours(start: str | None, end: str | None) -> QuietHours | None:
    if not start or not end:
        return None
    return QuietHours(parse_hhmm(start, "start"), parse_hhmm(end, "end"))


def setup_for(
    account_id: str, locale: str, timezone: str, discreet: bool, row: Row, quiet: QuietHours | None
) -> Setup:
    return Setup(
        account_id=account_id,
        locale=locale,
        zone=ZoneInfo(timezone),
        discreet=discreet,
        at=parse_hhmm(row["local_time"], "time"),
        days=decode_days(row["days"]),
        minutes_before=row["minutes_before"],
        quiet=quiet,
    )


async def next_fire_at(
    db: Database, clock: Clock, kind: Kind, setup: Setup, after: datetime
) -> datetime | None:
    if not kind.available:
        return None
    return await kind.next_fire(db, clock, setup, after)


async def _decide(
    db: Database, clock: Clock, row: Row, profile: Row | None, now: datetime
) -> store.Fire | None:
    if profile is None:
        return None
    kind = KINDS[row["kind"]]
    setup = setup_for(
        row["account_id"],
        profile["locale"],
        profile["timezone"],
        bool(profile["discreet"]),
        row,
        quiet_hours(row["quiet_start"], row["quiet_end"]),
    )
    due = datetime.fromisoformat(row["next_fire_at"])
    message: Notification | None = None
    # A changed time zone means the stored instant was for the old zone: recompute, don't fire.
    if row["zone"] == profile["timezone"] and kind.available and not is_late(due, now, kind.grace):
        params = await kind.message(db, clock, setup, due)
        if params is not None:
            payload = notification(
                kind.name, setup.locale, discreet=setup.discreet, url=kind.url, params=params
            )
            message = Notification(
                row["account_id"],
                payload,
                topic=kind.topic,
                urgency=kind.urgency,
                ttl=int(kind.ttl.total_seconds()),
            )
    following = await next_fire_at(db, clock, kind, setup, now)
    if following is not None and following <= now:
        following = now + timedelta(minutes=1)  # never spin on a row that stays due
    return store.Fire(
        row["account_id"], kind.name, row["next_fire_at"], following, profile["timezone"], message
    )


# A reminder that cannot be worked out (data an older server let in) is put off this long, and the
# rest of its round goes on: one account's year-1 date once stopped every reminder (issue 22).
RETRY_BROKEN = timedelta(hours=1)


def where(exc: BaseException) -> str:
    """The innermost frame of an error as file:line: enough to find the bug, and no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"


async def _decide_or_put_off(
    db: Database, clock: Clock, row: Row, profile: Row | None, now: datetime
) -> store.Fire | None:
    try:
        return await _decide(db, clock, row, profile, now)
    except Exception as exc:
        # No account id, no date, no message text: the kind and the error's type and place.
        log.warning(
            "a %s reminder could not be worked out (%s at %s); put off for an hour",
            row["kind"],
            type(exc).__name__,
            where(exc),
        )
        return store.Fire(
            row["account_id"],
            row["kind"],
            row["next_fire_at"],
            now + RETRY_BROKEN,
            row["zone"],
            None,
        )


async def schedule_due(db: Database, clock: Clock) -> int:
    """One pass: every reminder due now becomes outbox rows; returns how many rows were queued."""
    now = clock.now()
    queued = 0
    while True:
        rows = await store.due(db, now, BATCH)
        if not rows:
            return queued
        profiles = await notification_profiles(db, sorted({row["account_id"] for row in rows}))
        fires = [
            fire
            for row in rows
            if (
                fire := await _decide_or_put_off(
                    db, clock, row, profiles.get(row["account_id"]), now
                )
            )
        ]
        queued += await store.record_fires(db, fires, now)
        if len(rows) < BATCH:
            return queued
        await asyncio.sleep(0)  # let requests in between rounds
