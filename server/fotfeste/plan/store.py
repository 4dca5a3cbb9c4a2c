"""SQL for the plan and the treatment status; every query is scoped by account_id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from fotfeste.db import Database, Row
from fotfeste.errors import InvalidInput, NotFound
from fotfeste.plan.logic import MAX_ENTRIES_PER_SECTION, MAX_PEOPLE

EntryValues = tuple[str, str, int, str]  # id, section, position, text
PersonValues = tuple[str, int, str, str]  # id, position, name, phone


# Rows other than the one being written, the last position among them, and its own position.
_COUNT_OTHERS = (
    "SELECT count(*) FILTER (WHERE id != :id),"
    " coalesce(max(position) FILTER (WHERE id != :id), -1),"
    " max(position) FILTER (WHERE id = :id)"
)
_SLOT_SQL = {
    "entries": _COUNT_OTHERS
    + " FROM plan_entries WHERE account_id = :account AND section = :section",
    "people": _COUNT_OTHERS + " FROM plan_people WHERE account_id = :account",
}


async def _slot(
    conn: Any, rows: Literal["entries", "people"], params: dict[str, str]
) -> tuple[int, int]:
    """(how many other rows share the scope, the position the row keeps or gets: its own if it
    exists, else after the last)."""
    others, last, current = next(iter(await conn.execute_fetchall(_SLOT_SQL[rows], params)))
    return others, current if current is not None else last + 1


async def entries(db: Database, account_id: str) -> list[Row]:
    return await db.fetchall(
        "SELECT id, section, position, text, updated_at FROM plan_entries"
        " WHERE account_id = ? ORDER BY section, position, id",
        (account_id,),
    )


async def people(db: Database, account_id: str) -> list[Row]:
    return await db.fetchall(
        "SELECT id, position, name, phone, updated_at FROM plan_people"
        " WHERE account_id = ? ORDER BY position, id",
        (account_id,),
    )


async def replace_plan(
    db: Database,
    account_id: str,
    new_entries: Sequence[EntryValues],
    new_people: Sequence[PersonValues],
    now: str,
) -> None:
    """The whole plan in one transaction: what is not in the new one is gone."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM plan_entries WHERE account_id = ?", (account_id,))
        await conn.execute("DELETE FROM plan_people WHERE account_id = ?", (account_id,))
        await conn.executemany(
            "INSERT INTO plan_entries (account_id, id, section, position, text, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(account_id, *values, now) for values in new_entries],
        )
        await conn.executemany(
            "INSERT INTO plan_people (account_id, id, position, name, phone, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(account_id, *values, now) for values in new_people],
        )


async def clear_plan(db: Database, account_id: str) -> None:
    await replace_plan(db, account_id, [], [], "")


async def entry(db: Database, account_id: str, entry_id: str) -> Row:
    row = await db.fetchone(
        "SELECT id, section, position, text, updated_at FROM plan_entries"
        " WHERE account_id = ? AND id = ?",
        (account_id, entry_id),
    )
    if row is None:
        raise NotFound("No such entry in your plan")
    return row


async def put_entry(
    db: Database,
    account_id: str,
    entry_id: str,
    *,
    section: str,
    text: str,
    position: int | None,
    now: str,
) -> None:
    """Create or change one line; a new line goes last in its section unless placed."""
    async with db.transaction() as conn:
        others, placed = await _slot(
            conn, "entries", {"id": entry_id, "account": account_id, "section": section}
        )
        if others >= MAX_ENTRIES_PER_SECTION:
            raise InvalidInput(
                f"A plan section holds at most {MAX_ENTRIES_PER_SECTION} lines", field="section"
            )
        position = placed if position is None else position
        await conn.execute(
            "INSERT INTO plan_entries (account_id, id, section, position, text, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id, id) DO UPDATE SET section = excluded.section,"
            " position = excluded.position, text = excluded.text,"
            " updated_at = excluded.updated_at",
            (account_id, entry_id, section, position, text, now),
        )


async def delete_entry(db: Database, account_id: str, entry_id: str) -> None:
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM plan_entries WHERE account_id = ? AND id = ?", (account_id, entry_id)
        )
    if cursor.rowcount == 0:
        raise NotFound("No such entry in your plan")


async def person(db: Database, account_id: str, person_id: str) -> Row:
    row = await db.fetchone(
        "SELECT id, position, name, phone, updated_at FROM plan_people"
        " WHERE account_id = ? AND id = ?",
        (account_id, person_id),
    )
    if row is None:
        raise NotFound("No such person in your plan")
    return row


async def put_person(
    db: Database,
    account_id: str,
    person_id: str,
    *,
    name: str,
    phone: str,
    position: int | None,
    now: str,
) -> None:
    async with db.transaction() as conn:
        others, placed = await _slot(conn, "people", {"id": person_id, "account": account_id})
        if others >= MAX_PEOPLE:
            raise InvalidInput(f"A plan holds at most {MAX_PEOPLE} people", field="people")
        position = placed if position is None else position
        await conn.execute(
            "INSERT INTO plan_people (account_id, id, position, name, phone, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id, id) DO UPDATE SET position = excluded.position,"
            " name = excluded.name, phone = excluded.phone, updated_at = excluded.updated_at",
            (account_id, person_id, position, name, phone, now),
        )


async def delete_person(db: Database, account_id: str, person_id: str) -> None:
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM plan_people WHERE account_id = ? AND id = ?", (account_id, person_id)
        )
    if cursor.rowcount == 0:
        raise NotFound("No such person in your plan")


# --- treatment status (waiting-list mode) ---------------------------------------------------


async def treatment_status(db: Database, account_id: str) -> Row | None:
    return await db.fetchone(
        "SELECT status, since, updated_at FROM treatment_status WHERE account_id = ?",
        (account_id,),
    )


async def set_treatment_status(
    db: Database, account_id: str, *, status: str, since: str, now: str
) -> str | None:
    """Store the new status; answers the previous one (None if never set), read in the same unit."""
    async with db.transaction() as conn:
        rows: Any = await conn.execute_fetchall(
            "SELECT status FROM treatment_status WHERE account_id = ?", (account_id,)
        )
        previous = rows[0][0] if rows else None
        await conn.execute(
            "INSERT INTO treatment_status (account_id, status, since, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET"
            " status = excluded.status, since = excluded.since, updated_at = excluded.updated_at",
            (account_id, status, since, now),
        )
    return str(previous) if previous is not None else None
