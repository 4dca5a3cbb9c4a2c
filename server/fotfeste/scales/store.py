"""SQL for responses, enrolments and scale settings; every query filters by account_id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec

from fotfeste.db import Conn, Database, Row
from fotfeste.ids import new_id

_RESPONSE_COLUMNS = (
    "id, instrument, version, answers, score, band, safety, answered_at, answered_on, client_id"
)


async def insert_response(
    db: Database,
    account_id: str,
    *,
    client_id: str | None,
    instrument: str,
    version: str,
    answers: dict[str, int],
    score: int | None,
    band: str | None,
    safety: bool,
    answered_at: str,
    answered_on: date,
    per_day: int,
) -> Row | None:
    """Store answers once: a retry with the same client_id returns the first row unchanged.

    None, and nothing stored, when the account already answered `instrument` `per_day` times
    on `answered_on` (a retry of one of those still returns it)."""
    response_id = new_id()

    def insert(conn: Conn) -> Row | None:
        today = conn.execute(
            "SELECT count(*) FROM scale_responses"
            " WHERE account_id = ? AND instrument = ? AND answered_on = ?"
            "  AND (? IS NULL OR client_id IS NOT ?)",
            (account_id, instrument, answered_on.isoformat(), client_id, client_id),
        ).fetchone()[0]
        if today >= per_day:
            return None
        conn.execute(
            "INSERT INTO scale_responses (id, account_id, client_id, instrument, version, answers,"
            " score, band, safety, answered_at, answered_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id, client_id) DO NOTHING",
            (
                response_id,
                account_id,
                client_id,
                instrument,
                version,
                msgspec.json.encode(answers).decode(),
                score,
                band,
                int(safety),
                answered_at,
                answered_on.isoformat(),
            ),
        )
        stored: Row = conn.execute(
            f"SELECT {_RESPONSE_COLUMNS} FROM scale_responses"  # noqa: S608 - fixed columns
            " WHERE account_id = ? AND (id = ? OR client_id = ?)",
            (account_id, response_id, client_id),
        ).fetchone()
        return stored

    return await db.write(insert)


async def responses(db: Database, account_id: str, instrument: str | None) -> list[Row]:
    """History, oldest first."""
    if instrument is None:
        return await db.fetchall(
            f"SELECT {_RESPONSE_COLUMNS} FROM scale_responses"  # noqa: S608 - fixed columns
            " WHERE account_id = ? ORDER BY answered_at, rowid",
            (account_id,),
        )
    return await db.fetchall(
        f"SELECT {_RESPONSE_COLUMNS} FROM scale_responses"  # noqa: S608 - fixed columns
        " WHERE account_id = ? AND instrument = ? ORDER BY answered_at, rowid",
        (account_id, instrument),
    )


async def answered_dates(db: Database, account_id: str) -> list[tuple[str, date]]:
    rows = await db.fetchall(
        "SELECT instrument, answered_on FROM scale_responses WHERE account_id = ?", (account_id,)
    )
    return [(r["instrument"], date.fromisoformat(r["answered_on"])) for r in rows]


async def answered_dates_of(
    db: Database, account_ids: Sequence[str]
) -> dict[str, list[tuple[str, date]]]:
    """answered_dates of many accounts in one query (the staff outcomes)."""
    rows = await db.fetchall(
        "SELECT account_id, instrument, answered_on FROM scale_responses"
        " WHERE account_id IN (SELECT value FROM json_each(?))",
        (msgspec.json.encode(list(account_ids)).decode(),),
    )
    out: dict[str, list[tuple[str, date]]] = {}
    for r in rows:
        out.setdefault(r["account_id"], []).append(
            (r["instrument"], date.fromisoformat(r["answered_on"]))
        )
    return out


async def enrolment(db: Database, account_id: str) -> tuple[str, date] | None:
    row = await db.fetchone(
        "SELECT programme, start_date FROM enrolments WHERE account_id = ?", (account_id,)
    )
    return None if row is None else (row["programme"], date.fromisoformat(row["start_date"]))


async def set_enrolment(db: Database, account_id: str, programme: str, start: date) -> None:
    def put(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO enrolments (account_id, programme, start_date) VALUES (?, ?, ?)"
            " ON CONFLICT (account_id) DO UPDATE SET programme = excluded.programme,"
            " start_date = excluded.start_date",
            (account_id, programme, start.isoformat()),
        )

    await db.write(put)


async def cutoff_set(db: Database, account_id: str) -> str | None:
    value: Any = await db.fetchval(
        "SELECT cutoff_set FROM scale_settings WHERE account_id = ?", (account_id,)
    )
    return None if value is None else str(value)


async def set_cutoff_set(db: Database, account_id: str, value: str | None) -> None:
    def put(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO scale_settings (account_id, cutoff_set) VALUES (?, ?)"
            " ON CONFLICT (account_id) DO UPDATE SET cutoff_set = excluded.cutoff_set",
            (account_id, value),
        )

    await db.write(put)


async def help_region(db: Database, account_id: str) -> str | None:
    value: Any = await db.fetchval(
        "SELECT region FROM help_settings WHERE account_id = ?", (account_id,)
    )
    return None if value is None else str(value)


async def set_help_region(db: Database, account_id: str, region: str | None) -> None:
    def put(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO help_settings (account_id, region) VALUES (?, ?)"
            " ON CONFLICT (account_id) DO UPDATE SET region = excluded.region",
            (account_id, region),
        )

    await db.write(put)


async def checkup_responses(db: Database, account_ids: Sequence[str] | None) -> list[Row]:
    """Checkup answers of many accounts (or all), for the staff outcome aggregates."""
    if account_ids is None:
        return await db.fetchall(
            "SELECT account_id, answers, answered_on FROM scale_responses"
            " WHERE instrument = 'checkup' ORDER BY account_id, answered_on"
        )
    marks = ", ".join("?" for _ in account_ids)
    return await db.fetchall(
        "SELECT account_id, answers, answered_on FROM scale_responses"  # noqa: S608 - only marks
        f" WHERE instrument = 'checkup' AND account_id IN ({marks})"
        " ORDER BY account_id, answered_on",
        tuple(account_ids),
    )


async def enrolments(db: Database, account_ids: Sequence[str]) -> dict[str, tuple[str, date]]:
    marks = ", ".join("?" for _ in account_ids)
    rows = await db.fetchall(
        "SELECT account_id, programme, start_date FROM enrolments"  # noqa: S608 - only marks
        f" WHERE account_id IN ({marks})",
        tuple(account_ids),
    )
    return {r["account_id"]: (r["programme"], date.fromisoformat(r["start_date"])) for r in rows}
