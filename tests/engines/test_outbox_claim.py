"""The push outbox on PostgreSQL: two senders (processes) never claim the same row."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fotfeste.db import Conn, Database
from fotfeste.dialect import to_postgresql
from fotfeste.push import outbox
from tests.engines.conftest import CLOCK

_CLAIM = (
    "UPDATE push_outbox SET available_at = ?, attempts = attempts + 1"
    " WHERE id IN (SELECT id FROM push_outbox WHERE available_at <= ?"
    "  ORDER BY available_at LIMIT ?)"
    " RETURNING id"
)


def _fill(conn: Conn) -> None:
    conn.execute(
        "INSERT INTO accounts (id, role, locale, timezone, created_at)"
        " VALUES ('a', 'self', 'sv', 'Europe/Stockholm', '2026-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO push_subscriptions (id, account_id, endpoint, p256dh, auth, created_at,"
        " last_seen_at) VALUES ('s', 'a', 'https://push.invalid/1', 'k', 'x', 'y', 'y')"
    )
    conn.executemany(
        "INSERT INTO push_outbox (id, account_id, subscription_id, payload, urgency, ttl,"
        " created_at, available_at) VALUES (?, 'a', 's', '{}', 'normal', 60, ?, ?)",
        [
            (f"o{i:03}", "2026-03-16T10:00:00Z", f"2026-03-16T10:{i // 60:02}:00Z")
            for i in range(100)
        ],
    )


async def test_a_claim_skips_rows_another_sender_holds(postgresql_db: Database) -> None:
    import psycopg

    from fotfeste.db_postgres import PostgresDatabase

    assert isinstance(postgresql_db, PostgresDatabase)
    await postgresql_db.write(_fill)
    now = CLOCK.now()
    lease = timedelta(minutes=5)
    # The first sender's claim, still in its transaction (its HTTP posts not yet settled).
    with psycopg.ClientCursor(psycopg.connect(postgresql_db.url)) as other:
        other.execute(
            to_postgresql(_CLAIM),
            ("2026-03-16T11:05:00Z", "2026-03-16T11:00:00Z", 40),
        )
        held = {row[0] for row in other.fetchall()}
        assert len(held) == 40
        # The second sender, another process: not blocked, and none of the first one's rows.
        second = await asyncio.wait_for(outbox.claim(postgresql_db, now, 100, lease), 5)
        assert len(second) == 60
        assert held.isdisjoint(m.id for m in second)
        other.connection.commit()
        other.connection.close()
    # Everything is claimed once; nothing is left to take within the lease.
    assert await outbox.claim(postgresql_db, now, 100, lease) == []


async def test_two_processes_claiming_at_once_share_the_rows(postgresql_db: Database) -> None:
    from fotfeste.db_postgres import PostgresDatabase

    assert isinstance(postgresql_db, PostgresDatabase)
    await postgresql_db.write(_fill)
    second_process = PostgresDatabase(postgresql_db.url, readers=1)
    await second_process.connect()
    try:
        now, lease = CLOCK.now(), timedelta(minutes=5)
        rounds = [
            outbox.claim(db, now, 7, lease)
            for _ in range(10)
            for db in (postgresql_db, second_process)
        ]
        claimed = [m.id for batch in await asyncio.gather(*rounds) for m in batch]
    finally:
        await second_process.close()
    assert len(claimed) == len(set(claimed)) == 100
