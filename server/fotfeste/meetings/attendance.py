"""SQL for each account's attendance log ("I went"); every query filters by account_id."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, Row
from fotfeste.errors import Conflict, NotFound
from fotfeste.meetings.store import meeting_row


async def record_attendance(
    db: Database, clock: Clock, account_id: str, on: date, meeting_id: str | None, *, cap: int
) -> Row:
    """Log one "I went"; a date holds at most `cap` meetings (a replay of one logged is fine)."""
    name = (await meeting_row(db, meeting_id))["name"] if meeting_id else None
    now = isoformat_utc(clock.now())

    def record(conn: Conn) -> Row:
        logged = conn.execute(
            "SELECT meeting_id FROM meeting_attendance WHERE account_id = ? AND date = ?",
            (account_id, on.isoformat()),
        ).fetchall()
        if len(logged) >= cap and (meeting_id or "") not in {row[0] for row in logged}:
            raise Conflict(
                f"The log holds at most {cap} meetings on one day; {on} has as many", field="date"
            )
        # The natural key (account, date, meeting) makes a replayed "I went" harmless.
        conn.execute(
            "INSERT OR IGNORE INTO meeting_attendance"
            " (account_id, date, meeting_id, meeting_name, created_at) VALUES (?, ?, ?, ?, ?)",
            (account_id, on.isoformat(), meeting_id or "", name, now),
        )
        row: Row = conn.execute(
            "SELECT date, meeting_id, meeting_name, created_at FROM meeting_attendance"
            " WHERE account_id = ? AND date = ? AND meeting_id = ?",
            (account_id, on.isoformat(), meeting_id or ""),
        ).fetchone()
        return row

    return await db.write(record)


async def remove_attendance(
    db: Database, account_id: str, on: date, meeting_id: str | None
) -> None:
    def remove(conn: Conn) -> int:
        return conn.execute(
            "DELETE FROM meeting_attendance WHERE account_id = ? AND date = ? AND meeting_id = ?",
            (account_id, on.isoformat(), meeting_id or ""),
        ).rowcount

    if await db.write(remove) == 0:
        raise NotFound("No such attendance entry")


async def attendance_rows(db: Database, account_id: str, first: date, last: date) -> list[Row]:
    return await db.fetchall(
        "SELECT date, meeting_id, meeting_name, created_at FROM meeting_attendance"
        " WHERE account_id = ? AND date BETWEEN ? AND ? ORDER BY date, created_at",
        (account_id, first.isoformat(), last.isoformat()),
    )


async def attendance_counts(db: Database, account_id: str, since: date) -> dict[date, int]:
    """For other domains (staff outcomes): meetings attended per date, from `since` on."""
    rows = await db.fetchall(
        "SELECT date, count(*) FROM meeting_attendance WHERE account_id = ? AND date >= ?"
        " GROUP BY date ORDER BY date",
        (account_id, since.isoformat()),
    )
    return {date.fromisoformat(r[0]): r[1] for r in rows}


async def attendance_counts_of(
    db: Database, account_ids: Sequence[str], since: date
) -> dict[str, dict[date, int]]:
    """attendance_counts of many accounts in one query (the staff outcomes)."""
    rows = await db.fetchall(
        "SELECT account_id, date, count(*) FROM meeting_attendance"
        " WHERE account_id IN (SELECT value FROM json_each(?)) AND date >= ?"
        " GROUP BY account_id, date ORDER BY account_id, date",
        (json.dumps(list(account_ids)), since.isoformat()),
    )
    out: dict[str, dict[date, int]] = {account_id: {} for account_id in account_ids}
    for r in rows:
        out[r[0]][date.fromisoformat(r[1])] = r[2]
    return out


async def attendance_totals(db: Database, account_id: str) -> tuple[int, str | None, int]:
    """(all entries, the latest date, favourites) for the summary."""
    row = await db.fetchone(
        "SELECT count(*), max(date),"
        " (SELECT count(*) FROM meeting_favourites WHERE account_id = :a)"
        " FROM meeting_attendance WHERE account_id = :a",
        {"a": account_id},
    )
    assert row is not None
    return row[0], row[1], row[2]
