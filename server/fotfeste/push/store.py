"""SQL for push subscriptions."""

from __future__ import annotations

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database
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
