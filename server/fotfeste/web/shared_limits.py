"""Rate limits counted in the database, so every app process (and host) shares one count.

The limits that guard secrets (account creation, recovery and supporter-code guesses, staff
log-ins, referral-code answers) must hold however many processes serve: N processes with
counters in memory would let a guesser try N times as often. Each attempt is one `db.write`
(one row; the client's expired rows go in the same unit), so a limit costs a write only on
these rare, already expensive routes. The anonymous "public" limit stays in memory (throttle.py).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from fotfeste.clock import Clock
from fotfeste.db import Conn, Database, lock_key
from fotfeste.settings import RateLimit, Settings

# Buckets counted here; any other bucket is counted in the process (throttle.Throttle).
SHARED = frozenset(
    {"account_create", "recover", "clinic_link", "clinic_link_account", "staff_login"}
)
# Every this many attempts, rows of every client older than the longest window are cleared.
_SWEEP_EVERY = 256


class SharedLimits:
    """Sliding windows over rows of `rate_hits` (migration 0015): exact, like the in-memory ones.

    Clients are keyed by a keyed BLAKE2b hash; the key is made once per database (all processes
    must agree on it), and a row lives only as long as its window.
    """

    def __init__(self, db: Database, clock: Clock, limits: dict[str, RateLimit]) -> None:
        self.db = db
        self.clock = clock
        self.limits = {name: limit for name, limit in limits.items() if name in SHARED}
        self._horizon_ms = 1000 * max((limit.seconds for limit in self.limits.values()), default=0)
        self._key: bytes | None = None
        self._hits = 0

    @classmethod
    def from_settings(cls, db: Database, clock: Clock, settings: Settings) -> SharedLimits:
        return cls(
            db,
            clock,
            {
                "account_create": settings.rate_account_create,
                "recover": settings.rate_recover,
                "clinic_link": settings.rate_clinic_link,
                "clinic_link_account": settings.rate_clinic_link_account,
                "staff_login": settings.rate_staff_login,
            },
        )

    async def _client_hash(self, client: str) -> str:
        if self._key is None:
            self._key = bytes.fromhex(await self.db.write(_key_unit(secrets.token_hex(32))))
        return hashlib.blake2b(client.encode(), key=self._key, digest_size=16).hexdigest()

    async def hit(self, bucket: str, client: str) -> float | None:
        """Count one attempt; None, or the seconds to wait when over the limit (not counted)."""
        limit = self.limits[bucket]
        digest = await self._client_hash(client)
        now_ms = int(self.clock.now().timestamp() * 1000)
        window_ms = limit.seconds * 1000
        self._hits += 1
        sweep_before = now_ms - self._horizon_ms if self._hits % _SWEEP_EVERY == 0 else None

        def count(conn: Conn) -> float | None:
            # Another process counting this client now waits here, then reads this one's row:
            # without it, on PostgreSQL, attempts at the same moment all read the same count.
            lock_key(conn, f"rate_hits:{bucket}:{digest}")
            conn.execute(
                "DELETE FROM rate_hits WHERE bucket = ? AND client = ? AND at_ms <= ?",
                (bucket, digest, now_ms - window_ms),
            )
            hits, oldest = conn.execute(
                "SELECT count(*), min(at_ms) FROM rate_hits WHERE bucket = ? AND client = ?",
                (bucket, digest),
            ).fetchone()
            if hits >= limit.requests:
                return float(oldest + window_ms - now_ms) / 1000
            conn.execute(
                "INSERT INTO rate_hits (bucket, client, at_ms) VALUES (?, ?, ?)",
                (bucket, digest, now_ms),
            )
            if sweep_before is not None:
                conn.execute("DELETE FROM rate_hits WHERE at_ms <= ?", (sweep_before,))
            return None

        return await self.db.write(count, long=True)  # alone: see db.lock_key


def _key_unit(candidate: str) -> Callable[[Conn], str]:
    """The database's key: `candidate` if none was made yet (the first process to ask wins)."""

    def unit(conn: Conn) -> str:
        conn.execute(
            "INSERT INTO rate_limit_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
            (candidate,),
        )
        key: str = conn.execute("SELECT key FROM rate_limit_key WHERE id = 1").fetchone()[0]
        return key

    return unit
