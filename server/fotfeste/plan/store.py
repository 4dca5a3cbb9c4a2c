"""SQL for the plan and the treatment status; every query is scoped by account_id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from fotfeste.db import Conn, Database, Row
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


def _slot(
    conn: Conn, rows: Literal["entries", "people"], params: dict[str, str]
) -> tuple[int, int]:
    """(how many other rows share the scope, the position the row keeps or gets: its own if it
    exists, else after the last)."""
    others, last, current = conn.execute(_SLOT_SQL[rows], params).fetchone()
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

    def replace(conn: Conn) -> None:
        conn.execute("DELETE FROM plan_entries WHERE account_id = ?", (account_id,))
        conn.execute("DELETE FROM plan_people WHERE account_id = ?", (account_id,))
        conn.executemany(
            "INSERT INTO plan_entries (account_id, id, section, position, text, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(account_id, *values, now) for values in new_entries],
        )
        conn.executemany(
            "INSERT INTO plan_people (account_id, id, position, name, phone, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(account_id, *values, now) for values in new_people],
        )

    await db.write(replace)


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

    def put(conn: Conn) -> None:
        others, placed = _slot(
            conn, "entries", {"id": entry_id, "account": account_id, "section": section}
        )
        if others >= MAX_ENTRIES_PER_SECTION:
            raise InvalidInput(
                f"A plan section holds at most {MAX_ENTRIES_PER_SECTION} lines", field="section"
            )
        conn.execute(
            "INSERT INTO plan_entries (account_id, id, section, position, text, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id, id) DO UPDATE SET section = excluded.section,"
            " position = excluded.position, text = excluded.text,"
            " updated_at = excluded.updated_at",
            (account_id, entry_id, section, placed if position is None else position, text, now),
        )

    await db.write(put)


async def delete_entry(db: Database, account_id: str, entry_id: str) -> None:
    def delete(conn: Conn) -> int:
        return conn.execute(
            "DELETE FROM plan_entries WHERE account_id = ? AND id = ?", (account_id, entry_id)
        ).rowcount

    if await db.write(delete) == 0:
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
    def put(conn: Conn) -> None:
        others, placed = _slot(conn, "people", {"id": person_id, "account": account_id})
        if others >= MAX_PEOPLE:
            raise InvalidInput(f"A plan holds at most {MAX_PEOPLE} people", field="people")
        conn.execute(
            "INSERT INTO plan_people (account_id, id, position, name, phone, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id, id) DO UPDATE SET position = excluded.position,"
            " name = excluded.name, phone = excluded.phone, updated_at = excluded.updated_at",
            (account_id, person_id, placed if position is None else position, name, phone, now),
        )

    await db.write(put)


async def delete_person(db: Database, account_id: str, person_id: str) -> None:
    def delete(conn: Conn) -> int:
        return conn.execute(
            "DELETE FROM plan_people WHERE account_id = ? AND id = ?", (account_id, person_id)
        ).rowcount

    if await db.write(delete) == 0:
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

    def put(conn: Conn) -> str | None:
        row = conn.execute(
            "SELECT status FROM treatment_status WHERE account_id = ?", (account_id,)
        ).fetchone()
        conn.execute(
            "INSERT INTO treatment_status (account_id, status, since, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET"
            " status = excluded.status, since = excluded.since, updated_at = excluded.updated_at",
            (account_id, status, since, now),
        )
        return None if row is None or row[0] is None else str(row[0])

    return await db.write(put)
