"""The scheduler: turns due reminders into outbox rows and moves each to its next instant.

Built for the evening minute when a hundred thousand check-in reminders come due together: due
rows are read in large rounds, rows alike in everything but the account (kind, time, days,
quiet hours, zone, language, discreet, due instant) get one decision between them (one zone
calculation, one payload), and each round is queued with one INSERT … SELECT and moved with
one executemany. Kinds whose message or next instant depend on the account's own data are
still decided row by row. A row whose decision raises is set aside for a while and logged; the
others go on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Database, Row
from fotfeste.push.service import notification
from fotfeste.reminders import store
from fotfeste.reminders.kinds import KINDS, Kind, Setup
from fotfeste.reminders.logic import QuietHours, decode_days, is_late, parse_hhmm, quiet_hours

log = logging.getLogger(__name__)

# Rows per round: big enough that the SQL runs in bulk, small enough that a round's Python work
# (a few ms) does not stall the API; the loop gets a turn between rounds.
BATCH = 2000
# A row whose decision failed waits this long before it is looked at again.
SET_ASIDE = timedelta(minutes=10)


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
    return await kind.next_fire(db, clock, setup, after)


# (next_fire_at as stored, zone, what to send or None): what a row, or a group of like rows, gets.
Decision = tuple[str | None, str, store.Note | None]


async def _decide(db: Database, clock: Clock, row: Row, now: datetime) -> Decision:
    kind = KINDS[row["kind"]]
    timezone = row["timezone"]
    setup = setup_for(
        row["account_id"],
        row["locale"],
        timezone,
        bool(row["discreet"]),
        row,
        quiet_hours(row["quiet_start"], row["quiet_end"]),
    )
    due = datetime.fromisoformat(row["next_fire_at"])
    note: store.Note | None = None
    # A changed time zone means the stored instant was for the old zone: recompute, don't fire.
    if row["zone"] == timezone and not is_late(due, now, kind.grace):
        params = await kind.message(db, clock, setup, due)
        if params is not None:
            payload = notification(
                kind.name, setup.locale, discreet=setup.discreet, url=kind.url, params=params
            )
            note = (payload, kind.topic, kind.urgency, int(kind.ttl.total_seconds()))
    following = await next_fire_at(db, clock, kind, setup, now)
    if following is not None and following <= now:
        following = now + timedelta(minutes=1)  # never spin on a row that stays due
    return (isoformat_utc(following) if following else None, timezone, note)


async def decide_round(
    db: Database, clock: Clock, rows: list[Row], now: datetime
) -> dict[store.FireKey, list[str]]:
    """The accounts of a round grouped by what they get: one decision per group of like rows
    for kinds that allow it (one zone calculation, one payload for thousands), per row for
    the others. Per row only a dictionary lookup and an append: this loop runs 100,000 times
    in the evening's minute."""
    shared: dict[tuple[object, ...], store.FireKey] = {}
    groups: dict[store.FireKey, list[str]] = {}
    set_aside = isoformat_utc(now + SET_ASIDE)
    for row in rows:
        key = tuple(row)[1:]  # everything but the account: the kind first, the due instant 6th
        fire = shared.get(key)
        if fire is None:
            kind_name, due = key[0], key[5]
            try:
                decision = await _decide(db, clock, row, now)
            except Exception as exc:
                # One account's data must never stop everyone's reminders: this row waits, the
                # others are queued. (No account id in the log: the kind and the error say enough.)
                log.error("reminder %s could not be scheduled (%s); retried later", kind_name,
                          type(exc).__name__)  # fmt: skip
                decision = (set_aside, key[4], None)
            fire = (kind_name, due, *decision)
            if KINDS[kind_name].shared:
                shared[key] = fire
        accounts = groups.get(fire)
        if accounts is None:
            groups[fire] = [row[0]]
        else:
            accounts.append(row[0])
    return groups


async def schedule_due(
    db: Database, clock: Clock, queued_some: Callable[[], None] | None = None
) -> int:
    """One pass: every reminder due now becomes outbox rows; returns how many rows were queued.
    `queued_some` is called after each committed round that queued rows (the sender's wake-up):
    the evening's first reminders go out while the rest are still being queued."""
    now = clock.now()
    queued = 0
    while True:
        rows = await store.due(db, now, BATCH)
        if not rows:
            return queued
        groups = await decide_round(db, clock, rows, now)
        fired = await store.record_fires(db, groups, now)
        queued += fired
        if fired and queued_some is not None:
            queued_some()
        if len(rows) < BATCH:
            return queued
        await asyncio.sleep(0)  # let requests in between rounds
