"""SQL for what the person used to spend; every query filters by account_id."""

from __future__ import annotations

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, Row


async def spending(db: Database, account_id: str) -> Row | None:
    return await db.fetchone(
        "SELECT amount_minor, per, currency FROM spending WHERE account_id = ?", (account_id,)
    )


async def put_spending(
    db: Database, clock: Clock, account_id: str, amount_minor: int, per: str, currency: str
) -> None:
    now = isoformat_utc(clock.now())

    def put(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO spending (account_id, amount_minor, per, currency, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET"
            " amount_minor = excluded.amount_minor, per = excluded.per,"
            " currency = excluded.currency, updated_at = excluded.updated_at",
            (account_id, amount_minor, per, currency, now),
        )

    await db.write(put)


async def delete_spending(db: Database, account_id: str) -> None:
    def delete(conn: Conn) -> None:
        conn.execute("DELETE FROM spending WHERE account_id = ?", (account_id,))

    await db.write(delete)
