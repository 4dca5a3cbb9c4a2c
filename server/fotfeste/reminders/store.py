"""SQL for reminders and quiet hours; the scheduler's due query and its atomic update."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fotfeste.clock import isoformat_utc
from fotfeste.db import Database, Row
from fotfeste.push.outbox import Notification, enqueue_in

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
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO reminder_settings (account_id, quiet_start, quiet_end, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET"
            " quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,"
            " updated_at = excluded.updated_at",
            (account_id, start, end, isoformat_utc(now)),
        )


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
    async with db.transaction() as conn:
        await conn.executemany(
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


async def due(db: Database, now: datetime, limit: int) -> list[Row]:
    """Reminders whose instant has come: a range scan on reminders_due, never a table scan."""
    return await db.fetchall(
        "SELECT r.account_id, r.kind, r.local_time, r.days, r.minutes_before, r.zone,"
        " r.next_fire_at, q.quiet_start, q.quiet_end"
        " FROM reminders r LEFT JOIN reminder_settings q ON q.account_id = r.account_id"
        " WHERE r.next_fire_at <= ? ORDER BY r.next_fire_at LIMIT ?",
        (isoformat_utc(now), limit),
    )


@dataclass(frozen=True)
class Fire:
    """The scheduler's decision for one due reminder."""

    account_id: str
    kind: str
    due: str  # next_fire_at as read: the update applies only if nobody changed it since
    next_fire_at: datetime | None
    zone: str
    notification: Notification | None


async def record_fires(db: Database, fires: Sequence[Fire], now: datetime) -> int:
    """Move each reminder to its next instant and queue its notification, in one transaction,
    skipping reminders that a PUT changed after they were read."""
    if not fires:
        return 0
    stamp = isoformat_utc(now)
    async with db.transaction() as conn:
        keys = json.dumps([[f.account_id, f.kind] for f in fires])
        current = {
            (row[0], row[1]): row[2]
            for row in await conn.execute_fetchall(
                "SELECT r.account_id, r.kind, r.next_fire_at FROM json_each(?) k"
                " JOIN reminders r ON r.account_id = json_extract(k.value, '$[0]')"
                " AND r.kind = json_extract(k.value, '$[1]')",
                (keys,),
            )
        }
        unchanged = [f for f in fires if current.get((f.account_id, f.kind)) == f.due]
        updates: list[tuple[Any, ...]] = [
            (
                isoformat_utc(f.next_fire_at) if f.next_fire_at else None,
                f.zone,
                stamp if f.notification else None,
                f.account_id,
                f.kind,
            )
            for f in unchanged
        ]
        await conn.executemany(
            "UPDATE reminders SET next_fire_at = ?, zone = ?,"
            " last_fired_at = coalesce(?, last_fired_at) WHERE account_id = ? AND kind = ?",
            updates,
        )
        return await enqueue_in(
            conn, [f.notification for f in unchanged if f.notification is not None], now
        )
