"""SQL for push subscriptions and the outbox's claim and settle."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, Row
from fotfeste.errors import NotFound
from fotfeste.ids import new_id

# Enough for every browser a person uses; bounds the fan-out of one account's reminders.
MAX_SUBSCRIPTIONS_PER_ACCOUNT = 10


async def save_subscription(
    db: Database, clock: Clock, account_id: str, endpoint: str, p256dh: str, auth: str
) -> str:
    """Insert, or refresh the keys of, a subscription. The PWA re-sends it at every start, so the
    same endpoint keeps its id; an endpoint that moves to another account gets a new id."""
    now = isoformat_utc(clock.now())

    def save(conn: Conn) -> str:
        rows = conn.execute(
            "SELECT id, account_id FROM push_subscriptions WHERE endpoint = ?", (endpoint,)
        ).fetchall()
        if rows and rows[0]["account_id"] == account_id:
            subscription_id: str = rows[0]["id"]
            conn.execute(
                "UPDATE push_subscriptions SET p256dh = ?, auth = ?, last_seen_at = ?"
                " WHERE id = ? AND account_id = ?",
                (p256dh, auth, now, subscription_id, account_id),
            )
            return subscription_id
        if rows:
            # The browser now belongs to another account (e.g. after recovery on this device).
            conn.execute("DELETE FROM push_subscriptions WHERE endpoint = ?", (endpoint,))
        subscription_id = new_id()
        conn.execute(
            "INSERT INTO push_subscriptions"
            " (id, account_id, endpoint, p256dh, auth, created_at, last_seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (subscription_id, account_id, endpoint, p256dh, auth, now, now),
        )
        conn.execute(
            "DELETE FROM push_subscriptions WHERE account_id = ? AND id NOT IN"
            " (SELECT id FROM push_subscriptions WHERE account_id = ?"
            "  ORDER BY last_seen_at DESC, created_at DESC LIMIT ?)",
            (account_id, account_id, MAX_SUBSCRIPTIONS_PER_ACCOUNT),
        )
        return subscription_id

    return await db.write(save)


async def delete_subscription(db: Database, account_id: str, subscription_id: str) -> None:
    def delete(conn: Conn) -> int:
        return conn.execute(
            "DELETE FROM push_subscriptions WHERE id = ? AND account_id = ?",
            (subscription_id, account_id),
        ).rowcount

    if await db.write(delete) == 0:
        raise NotFound("No such subscription")


# --- the outbox's claim and settle (the SQL the sender and `fotfeste push-worker` share) ----------

# Several processes claim from one outbox. Each takes the earliest available rows and moves
# available_at past the lease, so nobody else sees them until it runs out. On SQLite the
# transaction's write lock serialises claims; on PostgreSQL the dialect layer gives the inner
# SELECT `FOR UPDATE SKIP LOCKED` (dialect.py), so concurrent workers take different rows without
# waiting (tests/engines/test_outbox_claim.py).
CLAIM_SQL = (
    "UPDATE push_outbox SET available_at = :lease_until, attempts = attempts + 1"
    " WHERE id IN (SELECT id FROM push_outbox WHERE available_at <= :now"
    "  ORDER BY available_at LIMIT :limit)"
    " RETURNING id, subscription_id, payload, topic, urgency, ttl, created_at, attempts"
)
_SUBSCRIPTIONS = (
    "SELECT id, endpoint, p256dh, auth FROM push_subscriptions"
    " WHERE id IN (SELECT value FROM json_each(?))"
)


def claim_rows(conn: Conn, now: datetime, limit: int, lease: timedelta) -> list[tuple[Row, Row]]:
    """A write unit (db.write): up to `limit` available rows, hidden for the lease, each with its
    subscription (endpoint and keys). A row whose subscription is gone is left to the cascade."""
    params = {
        "lease_until": isoformat_utc(now + lease),
        "now": isoformat_utc(now),
        "limit": limit,
    }
    claimed = conn.execute(CLAIM_SQL, params).fetchall()
    if not claimed:
        return []
    ids = json.dumps(sorted({row["subscription_id"] for row in claimed}))
    subscriptions = {row["id"]: row for row in conn.execute(_SUBSCRIPTIONS, (ids,)).fetchall()}
    return [
        (row, sub)
        for row in claimed
        if (sub := subscriptions.get(row["subscription_id"])) is not None
    ]


def settle_rows(
    conn: Conn,
    delete: Sequence[tuple[str]],
    retries: Sequence[tuple[str, str]],
    gone: Sequence[tuple[str]],
) -> None:
    """A write unit: sent or dropped rows deleted, retries moved to their time, subscriptions the
    push service says are gone deleted (ON DELETE CASCADE drops their rows)."""
    if delete:
        conn.executemany("DELETE FROM push_outbox WHERE id = ?", delete)
    if retries:
        conn.executemany("UPDATE push_outbox SET available_at = ? WHERE id = ?", retries)
    if gone:
        conn.executemany("DELETE FROM push_subscriptions WHERE id = ?", gone)
