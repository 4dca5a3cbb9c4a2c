"""The outbox: notifications written before sending, claimed with a lease, settled after."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Database
from fotfeste.push import store
from fotfeste.push.logic import Outcome, classify, next_retry, parse_retry_after, service_name

log = logging.getLogger(__name__)

# Fans one notification out to every subscription of an account, in one statement. Outbox ids
# are internal (never leave the server), so SQLite's randomblob makes them.
INSERT_FOR_ACCOUNT = (
    "INSERT INTO push_outbox (id, account_id, subscription_id, payload, topic, urgency, ttl,"
    " created_at, available_at)"
    " SELECT lower(hex(randomblob(16))), s.account_id, s.id, :payload, :topic, :urgency, :ttl,"
    " :now, :available_at FROM push_subscriptions s WHERE s.account_id = :account_id"
)


@dataclass(frozen=True)
class Notification:
    """One message for every subscription of an account."""

    account_id: str
    payload: str
    topic: str | None
    urgency: str
    ttl: int

    def params(self, now: datetime, available_at: datetime | None = None) -> dict[str, object]:
        return {
            "account_id": self.account_id,
            "payload": self.payload,
            "topic": self.topic,
            "urgency": self.urgency,
            "ttl": self.ttl,
            "now": isoformat_utc(now),
            "available_at": isoformat_utc(available_at or now),
        }


class Message(msgspec.Struct, frozen=True, gc=False):
    """One claimed outbox row with what is needed to send it. A Struct, not a dataclass: a
    fan-out builds 100,000 of them, and a frozen dataclass's __init__ costs several times more."""

    id: str
    subscription_id: str
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    topic: str | None
    urgency: str
    ttl: int
    created_at: datetime
    attempts: int


class Result(msgspec.Struct, frozen=True, gc=False):
    message: Message
    status: int | None  # None: no answer (network error, timeout, refused by the allowlist)
    retry_after: str | None = None
    error: str | None = None


async def enqueue(
    db: Database, clock: Clock, notification: Notification, available_at: datetime | None = None
) -> int:
    """Queue a notification for every subscription of the account, to go now or at
    `available_at` (after quiet hours); returns how many rows."""
    params = notification.params(clock.now(), available_at)
    rowcount = await db.write(lambda conn: conn.execute(INSERT_FOR_ACCOUNT, params).rowcount)
    return max(rowcount, 0)


async def claim(db: Database, now: datetime, limit: int, lease: timedelta) -> list[Message]:
    """Take up to `limit` available rows and hide them for the lease (FOTFESTE_PUSH_LEASE_SECONDS):
    if the sender dies, they come back when it runs out. Safe from several processes at once."""
    claimed = await db.write(lambda conn: store.claim_rows(conn, now, limit, lease), long=True)
    return [
        Message(
            id=row["id"],
            subscription_id=row["subscription_id"],
            endpoint=sub["endpoint"],
            p256dh=sub["p256dh"],
            auth=sub["auth"],
            payload=row["payload"].encode(),
            topic=row["topic"],
            urgency=row["urgency"],
            ttl=row["ttl"],
            created_at=datetime.fromisoformat(row["created_at"]),
            attempts=row["attempts"],
        )
        for row, sub in claimed
    ]


async def settle(db: Database, clock: Clock, results: Sequence[Result]) -> dict[str, int]:
    """Record what the push services answered, all in one transaction."""
    now = clock.now()
    delete_rows: list[tuple[str]] = []
    gone: list[tuple[str]] = []
    retries: list[tuple[str, str]] = []
    counts: dict[str, int] = {}
    for result in results:
        message = result.message
        outcome = classify(result.status) if result.status is not None else Outcome.RETRY
        if result.error in ("not allowed", "expired"):
            outcome = Outcome.REJECTED
        gave_up = False
        if outcome is Outcome.RETRY:
            retry = next_retry(
                message.attempts,
                now,
                message.created_at,
                message.ttl,
                parse_retry_after(result.retry_after, now),
            )
            if retry.at is None:
                log.warning(
                    "push to %s gave up after %d attempts (last: %s)",
                    service_name(message.endpoint),
                    message.attempts,
                    result.status or result.error,
                )
                outcome, gave_up = Outcome.REJECTED, True
            else:
                retries.append((isoformat_utc(retry.at), message.id))
        if outcome is Outcome.GONE:
            gone.append((message.subscription_id,))
        elif outcome is Outcome.DONE:
            delete_rows.append((message.id,))
        elif outcome in (Outcome.TOO_LARGE, Outcome.REJECTED):
            if not gave_up and result.error != "expired":
                log.warning(
                    "push to %s refused with %s; message dropped",
                    service_name(message.endpoint),
                    result.status or result.error,
                )
            delete_rows.append((message.id,))
        counts[outcome.value] = counts.get(outcome.value, 0) + 1
    await db.write(lambda conn: store.settle_rows(conn, delete_rows, retries, gone), long=True)
    return counts


async def queued_for(db: Database, account_id: str, topic: str) -> int:
    return int(
        await db.fetchval(
            "SELECT count(*) FROM push_outbox WHERE account_id = ? AND topic = ?",
            (account_id, topic),
        )
        or 0
    )


async def pending(db: Database) -> int:
    return int(await db.fetchval("SELECT count(*) FROM push_outbox") or 0)


async def next_available(db: Database) -> datetime | None:
    """When the earliest row can be claimed (the available_at index's first entry)."""
    value = await db.fetchval("SELECT min(available_at) FROM push_outbox")
    return datetime.fromisoformat(value) if value else None
