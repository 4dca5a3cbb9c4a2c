"""Failed staff logins for e-mail addresses that have no staff user, kept in the database."""

from __future__ import annotations

import hashlib
from datetime import datetime

from fotfeste.clock import isoformat_utc
from fotfeste.db import Conn, Database, Row, lock_key
from fotfeste.staff import logic


class UnknownAddresses:
    """Failed logins for e-mail addresses that have no staff user, counted like real ones.

    Without this, five wrong passwords lock a real user out ("locked") while an unknown address
    keeps answering "wrong": the difference would tell anyone which addresses have an account.
    Kept in the database like the real users' counters, so a restart forgets neither (after one,
    a real address answered "locked" and an unknown one "wrong"). Keyed by a keyed hash of the
    address (made by migration 0009), never the address itself.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._key: bytes | None = None

    async def _hash(self, db: Database, email: str) -> bytes:
        if self._key is None:
            self._key = await _key(db)
        return hashlib.blake2b(email.encode(), key=self._key, digest_size=16).digest()

    async def locked(self, db: Database, email: str, now: datetime) -> bool:
        row = await _row(db, await self._hash(db, email))
        return (
            row is not None
            and row["locked_until"] is not None
            and (row["locked_until"] > isoformat_utc(now))
        )

    async def fail(self, db: Database, email: str, now: datetime) -> bool:
        """Count a failure; True when it starts a lockout (the same rule as for real users).

        Read and written in one write unit, so concurrent guesses each count, in any process.
        """
        address_hash = await self._hash(db, email)
        at = isoformat_utc(now)
        capacity = self._capacity

        def unit(conn: Conn) -> bool:
            lock_key(conn, f"staff_unknown_login:{address_hash.hex()}")  # see record_login_failure
            row = conn.execute(
                "SELECT failed_logins, locked_until FROM staff_unknown_logins"
                " WHERE address_hash = ?",
                (address_hash,),
            ).fetchone()
            failed_before = 0
            if row is not None and not (
                row["locked_until"] is not None and row["locked_until"] <= at
            ):
                failed_before = row["failed_logins"]
            failed, locked_until = logic.after_failed_login(failed_before, now)
            _record_failure(
                conn,
                address_hash,
                failed,
                None if locked_until is None else isoformat_utc(locked_until),
                at,
                capacity,
            )
            return locked_until is not None

        return await db.write(unit, long=True)  # alone in its transaction: see db.lock_key


async def _key(db: Database) -> bytes:
    """The per-database key that hashes unknown log-in addresses (made by migration 0009)."""
    row = await db.fetchone("SELECT key FROM staff_login_key WHERE id = 1")
    if row is None:
        raise RuntimeError("staff_login_key is empty: migration 0009 did not run")
    key: bytes = row["key"]
    return key


async def _row(db: Database, address_hash: bytes) -> Row | None:
    return await db.fetchone(
        "SELECT failed_logins, locked_until FROM staff_unknown_logins WHERE address_hash = ?",
        (address_hash,),
    )


def _record_failure(
    conn: Conn,
    address_hash: bytes,
    failed: int,
    locked_until: str | None,
    now: str,
    capacity: int,
) -> None:
    """Store an unknown address's failures; forget lifted locks and all but the newest rows."""
    conn.execute(
        "INSERT INTO staff_unknown_logins (address_hash, failed_logins, locked_until,"
        " updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (address_hash) DO UPDATE SET"
        " failed_logins = excluded.failed_logins, locked_until = excluded.locked_until,"
        " updated_at = excluded.updated_at",
        (address_hash, failed, locked_until, now),
    )
    # A lifted lock with no failures since is the same as no row at all.
    conn.execute(
        "DELETE FROM staff_unknown_logins WHERE locked_until <= ? AND failed_logins = 0", (now,)
    )
    conn.execute(
        "DELETE FROM staff_unknown_logins WHERE address_hash IN (SELECT address_hash"
        " FROM staff_unknown_logins ORDER BY updated_at DESC LIMIT -1 OFFSET ?)",
        (capacity,),
    )
