"""argon2id hashing off the event loop, in bounded pools: one per kind of work, each with a cap.

Every hash and verify once went to asyncio's shared default executor with an unbounded queue, so
300 staff logins from fresh addresses (each rate limit allows a few) queued ahead of every
recovery and slowed it tenfold. Now each kind (staff passwords, recovery attempts, new recovery
codes) has threads of its own and a cap on the work it holds, running or waiting: past it the
call raises `KdfBusy` at once (503 with Retry-After), so a flood of one kind costs the others
some CPU, never a place in a queue.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

T = TypeVar("T")


class KdfBusy(Exception):
    """This kind's pool is full: nothing was done; the client may try again shortly."""

    retry_after = 2  # seconds; a full queue drains in about that

    def __init__(self, kind: str) -> None:
        super().__init__(f"argon2 pool {kind!r} is full")
        self.kind = kind


class KdfPool:
    """`workers` threads, and at most `workers + queue` jobs held at once (running or waiting)."""

    def __init__(self, kind: str, *, workers: int, queue: int) -> None:
        self.kind = kind
        self.capacity = workers + queue
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"kdf-{kind}")
        self._held = 0
        # Servers in other threads (tests) may share a pool: the count is guarded.
        self._lock = threading.Lock()

    async def run(self, work: Callable[[], T]) -> T:
        with self._lock:
            if self._held >= self.capacity:
                raise KdfBusy(self.kind)
            self._held += 1
        # Released when the work itself ends, not when the caller stops waiting: a cancelled
        # request's hash still occupies a thread until it is done.
        future = self._executor.submit(work)
        future.add_done_callback(self._release)
        return await asyncio.wrap_future(future)

    def _release(self, _: Future[Any]) -> None:
        with self._lock:
            self._held -= 1


class Argon2id:
    """An argon2id profile whose hash and verify run in `pool`, so the API keeps answering."""

    def __init__(
        self, *, time_cost: int, memory_cost: int, pool: KdfPool, parallelism: int = 1
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )
        self.pool = pool

    def hash_now(self, secret: str) -> str:
        """Blocking: for start-up work such as a dummy hash."""
        return self._hasher.hash(secret)

    async def hash(self, secret: str) -> str:
        return await self.pool.run(lambda: self._hasher.hash(secret))

    async def verify(self, hashed: str, secret: str) -> bool:
        try:
            return await self.pool.run(lambda: bool(self._hasher.verify(hashed, secret)))
        except (VerificationError, InvalidHashError):
            return False
