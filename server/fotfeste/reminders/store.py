"""SQL for reminders and quiet hours; the scheduler's due query and its atomic update."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import msgspec

from fotfeste.clock import isoformat_utc
from fotfeste.db import Conn, Database, Row

_COLUMNS = (
    "account_id, kind, enabled, local_time, days, minutes_before, zone, next_fire_at, last_fired_at"
)


async def reminders_of(db: Database, account_id: str) -> list[Row]:
    return await db.fetchall(
        f"SELECT {_COLUMNS} FROM reminders WHERE account_id = ?",  # noqa: S608 - fixed names
        (account_id,),
    )


async def quiet_hours_of(db: Database, account_id: str) -> tuple[str, str] | None:
    row = await db.fetchone(
        "SELECT quiet_start, quiet_end FROM reminder_settings WHERE account_id = ?", (account_id,)
    )
    if row is None or row["quiet_start"] is None:
        return None
    return row["quiet_start"], row["quiet_end"]


async def save_quiet_hours(
    db: Database, account_id: str, quiet: tuple[str, str] | None, now: datetime
) -> None:
    start, end = quiet or (None, None)

    def put(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO reminder_settings (account_id, quiet_start, quiet_end, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET"
            " quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,"
            " updated_at = excluded.updated_at",
            (account_id, start, end, isoformat_utc(now)),
        )

    await db.write(put)


@dataclass(frozen=True)
class Saved:
    """A reminder row as written: what PUT sets, with the next instant computed for `zone`."""

    kind: str
    enabled: bool
    local_time: str
    days: str
    minutes_before: int
    zone: str
    next_fire_at: datetime | None


async def save_reminders(
    db: Database, account_id: str, reminders: Sequence[Saved], now: datetime
) -> None:
    def put(conn: Conn) -> None:
        conn.executemany(
            "INSERT INTO reminders (account_id, kind, enabled, local_time, days, minutes_before,"
            " zone, next_fire_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id, kind) DO UPDATE SET enabled = excluded.enabled,"
            " local_time = excluded.local_time, days = excluded.days,"
            " minutes_before = excluded.minutes_before, zone = excluded.zone,"
            " next_fire_at = excluded.next_fire_at, updated_at = excluded.updated_at",
            [
                (
                    account_id,
                    r.kind,
                    int(r.enabled),
                    r.local_time,
                    r.days,
                    r.minutes_before,
                    r.zone,
                    isoformat_utc(r.next_fire_at) if r.next_fire_at else None,
                    isoformat_utc(now),
                )
                for r in reminders
            ],
        )

    await db.write(put)


# The due query's columns, in this order: the scheduler groups rows on everything after the
# account id (rows alike in all of it get the same decision).
DUE_COLUMNS = (
    "account_id",
    "kind",
    "local_time",
    "days",
    "minutes_before",
    "zone",
    "next_fire_at",
    "quiet_start",
    "quiet_end",
    "locale",
    "timezone",
    "discreet",
)


async def due(db: Database, now: datetime, limit: int) -> list[Row]:
    """Reminders whose instant has come, with what the scheduler needs of the account: a range
    scan on reminders_due, never a table scan. Columns as DUE_COLUMNS."""
    return await db.fetchall(
        "SELECT r.account_id, r.kind, r.local_time, r.days, r.minutes_before, r.zone,"
        " r.next_fire_at, q.quiet_start, q.quiet_end, a.locale, a.timezone, a.discreet"
        " FROM reminders r JOIN accounts a ON a.id = r.account_id"
        " LEFT JOIN reminder_settings q ON q.account_id = r.account_id"
        " WHERE r.next_fire_at <= ? ORDER BY r.next_fire_at LIMIT ?",
        (isoformat_utc(now), limit),
    )


# What a notification says and how it travels: (payload, topic, urgency, ttl seconds). One
# object is shared by every fire of a group, so a fan-out of 100,000 carries a handful of these.
Note = tuple[str, str | None, str, int]


class Fire(NamedTuple):
    """The scheduler's decision for one due reminder."""

    account_id: str
    kind: str
    due: str  # next_fire_at as read: the update applies only if nobody changed it since
    next_fire_at: str | None  # ISO UTC, as stored
    zone: str
    note: Note | None  # None: nothing to send this time (or a row set aside after an error)


# Per group of fires alike in all but the account: one outbox row per subscription of every
# account whose reminder is unchanged since it was read, then the reminders moved on. The
# accounts go in as one JSON array (a primary-key lookup each). Outbox ids are internal (never
# leave the server): a per-round prefix (time, then random) with the row's place in the round,
# so one round's rows land next to each other in the id index instead of all over it. The
# CROSS JOIN and the unary `+` keep SQLite on the primary key: by reminders_due it would look
# at every reminder due at that instant for each account of the list.
_QUEUE = (
    "INSERT INTO push_outbox (id, account_id, subscription_id, payload, topic, urgency, ttl,"
    " created_at, available_at)"
    " SELECT printf('%s%04x%06x%010x', :prefix, :group, f.key, s.rowid), s.account_id, s.id,"
    " :payload, :topic, :urgency, :ttl, :now, :now"
    " FROM json_each(:accounts) f"
    " CROSS JOIN reminders r ON r.account_id = f.value AND r.kind = :kind"
    "  AND +r.next_fire_at = :due"
    " JOIN push_subscriptions s ON s.account_id = r.account_id"
)
_MOVE = (
    "UPDATE reminders SET next_fire_at = :next, zone = :zone,"
    " last_fired_at = coalesce(:fired, last_fired_at)"
    " WHERE account_id IN (SELECT value FROM json_each(:accounts)) AND kind = :kind"
    " AND +next_fire_at = :due"
)


async def record_fires(db: Database, fires: Sequence[Fire], now: datetime) -> int:
    """Queue the notifications and move each reminder to its next instant, in one transaction,
    skipping reminders that a PUT changed after they were read. Returns outbox rows queued."""
    if not fires:
        return 0
    stamp = isoformat_utc(now)
    groups: dict[tuple[str, str, str | None, str, Note | None], list[str]] = {}
    for fire in fires:
        groups.setdefault(fire[1:], []).append(fire.account_id)
    prefix = f"{time.time_ns() // 1000:014x}{secrets.token_hex(4)}"
    queues: list[dict[str, object]] = []
    moves: list[dict[str, object]] = []
    for number, ((kind, due, following, zone, note), accounts) in enumerate(groups.items()):
        listed = msgspec.json.encode(accounts).decode()
        where = {"accounts": listed, "kind": kind, "due": due}
        if note is not None:
            payload, topic, urgency, ttl = note
            queues.append(
                {
                    **where,
                    "prefix": prefix,
                    "group": number,
                    "payload": payload,
                    "topic": topic,
                    "urgency": urgency,
                    "ttl": ttl,
                    "now": stamp,
                }
            )
        fired = stamp if note is not None else None
        moves.append({**where, "next": following, "zone": zone, "fired": fired})

    def record(conn: Conn) -> int:
        queued = 0
        if queues:
            # First, while next_fire_at still says which reminders are unchanged.
            queued = max(int(conn.executemany(_QUEUE, queues).rowcount), 0)
        conn.executemany(_MOVE, moves)
        return queued

    # A round may queue a hundred thousand rows: in the writer thread, the loop stays free.
    return await db.write(record, long=True)
