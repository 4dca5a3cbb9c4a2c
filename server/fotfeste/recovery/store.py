"""SQL for the sobriety date and check-ins. Check-in writes go through group commit."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database
from fotfeste.recovery import logic
from fotfeste.recovery.models import Checkin

_CHECKIN_COLUMNS = "date, used, craving, mood, substances, note, updated_at"


def checkin_from_row(row: Any) -> Checkin:
    return Checkin(
        date=row["date"],
        used=bool(row["used"]),
        craving=row["craving"],
        mood=row["mood"],
        substances=msgspec.json.decode(row["substances"], type=list[str]),
        note=row["note"],
        updated_at=row["updated_at"],
    )


async def set_start_date(db: Database, clock: Clock, account_id: str, start: date) -> None:
    now = isoformat_utc(clock.now())

    def unit(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO sobriety (account_id, start_date, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (account_id) DO UPDATE SET start_date = excluded.start_date,"
            " updated_at = excluded.updated_at",
            (account_id, start.isoformat(), now),
        )

    await db.write(unit)


async def start_date(db: Database, account_id: str) -> date | None:
    text = await db.fetchval("SELECT start_date FROM sobriety WHERE account_id = ?", (account_id,))
    return None if text is None else date.fromisoformat(text)


async def put_checkin(
    db: Database,
    clock: Clock,
    account_id: str,
    day: date,
    *,
    used: bool,
    craving: int | None,
    mood: int | None,
    substances: list[str],
    note: str | None,
) -> Checkin:
    """Create or replace the check-in of (account, day): a retried PUT lands on the same row."""
    now = isoformat_utc(clock.now())
    values = (
        account_id,
        day.isoformat(),
        int(used),
        craving,
        mood,
        msgspec.json.encode(substances).decode(),
        note,
    )

    def unit(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO checkins (account_id, date, used, craving, mood, substances, note,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id, date) DO UPDATE SET used = excluded.used,"
            " craving = excluded.craving, mood = excluded.mood, substances = excluded.substances,"
            " note = excluded.note, updated_at = excluded.updated_at",
            (*values, now, now),
        )

    await db.write(unit)
    return Checkin(
        date=day.isoformat(),
        used=used,
        craving=craving,
        mood=mood,
        substances=substances,
        note=note,
        updated_at=now,
    )


async def checkins_between(db: Database, account_id: str, first: date, last: date) -> list[Any]:
    return await db.fetchall(
        f"SELECT {_CHECKIN_COLUMNS} FROM checkins"  # noqa: S608 - a constant column list
        " WHERE account_id = ? AND date BETWEEN ? AND ? ORDER BY date",
        (account_id, first.isoformat(), last.isoformat()),
    )


async def progress_inputs(
    db: Database, account_id: str, today: date
) -> tuple[date | None, dict[date, bool]]:
    """The start date and the check-ins `logic.progress` needs, in one query.

    Reads the use days from the start date on and every check-in of the last 30 days: the cost
    grows with the check-ins in that range, never with the number of days since the start.
    """
    window = logic.first_day_needed(None, today).isoformat()
    rows = await db.fetchall(
        "SELECT s.start_date, c.date, c.used FROM (SELECT :account AS id) AS a"
        " LEFT JOIN sobriety AS s ON s.account_id = a.id"
        " LEFT JOIN checkins AS c ON c.account_id = a.id"
        " AND c.date >= min(coalesce(s.start_date, :window), :window)"
        " AND (c.used = 1 OR c.date >= :window)",
        {"account": account_id, "window": window},
    )
    start = rows[0][0] if rows else None
    checkins = {date.fromisoformat(row[1]): bool(row[2]) for row in rows if row[1] is not None}
    return (None if start is None else date.fromisoformat(start)), checkins
