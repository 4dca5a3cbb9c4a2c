"""SQLite's one writer, for db.py's Database: group commit, long writes, and WAL checkpoints.

Short writes are group-committed on the event loop thread (each unit in its own SAVEPOINT); long
ones, migrations and the truncating checkpoint run in the writer thread, one transaction at a time
under one lock. Group commits skip SQLite's automatic checkpoint, so a PASSIVE one runs on a
connection and thread of its own every _CHECKPOINT_EVERY units. db.py's docstring says what a
write promises and what it costs.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fotfeste.db_sqlite import (
    BUSY_SECONDS,
    Busy,
    engine_neutral,
    open_connection,
    passive_checkpoint,
    patiently,
    run_batch,
)

if TYPE_CHECKING:
    from fotfeste.db import WriteFn

T = TypeVar("T")
# Group commits skip SQLite's automatic checkpoint; a background one runs after this many units.
_CHECKPOINT_EVERY = 2000


class SqliteWriter:
    """The writer connection: used on the loop for short writes and in its thread for long ones,
    never both at once (the write lock). Checkpoints run on a connection and thread of their own."""

    def __init__(self, path: Path, *, max_batch: int) -> None:
        self.path = path
        self._max_batch = max_batch
        self._conn: sqlite3.Connection | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._lock = asyncio.Lock()
        self._checkpoint_thread: ThreadPoolExecutor | None = None
        self._checkpoint_conn: sqlite3.Connection | None = None
        self._checkpointing: asyncio.Future[Any] | None = None
        self._units_since_checkpoint = 0
        self._pending: list[tuple[WriteFn[Any], asyncio.Future[Any]]] = []
        self._committer: asyncio.Task[None] | None = None

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer")
        self._conn = await loop.run_in_executor(self._thread, open_connection, self.path)
        # A busy database (another process writing) must never make the loop wait: BEGIN fails
        # at once and _run_when_free retries after a pause (in the writer thread: patiently).
        # Checkpoints are not done on commit but in the background.
        self._conn.execute("PRAGMA busy_timeout=0")
        self._conn.execute("PRAGMA wal_autocheckpoint=0")
        self._checkpoint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkpoint")
        self._checkpoint_conn = await loop.run_in_executor(
            self._checkpoint_thread, open_connection, self.path
        )

    async def close(self) -> None:
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)
            self._committer = None
        if self._checkpointing is not None:
            await asyncio.gather(self._checkpointing, return_exceptions=True)
            self._checkpointing = None
        async with self._lock:  # a long write under way finishes first
            if self._thread is not None:
                await _close_in(self._thread, self._conn)
                self._thread, self._conn = None, None
        if self._checkpoint_thread is not None:
            await _close_in(self._checkpoint_thread, self._checkpoint_conn)
            self._checkpoint_thread, self._checkpoint_conn = None, None

    def _writer(self) -> tuple[sqlite3.Connection, ThreadPoolExecutor]:
        if self._conn is None or self._thread is None:
            raise RuntimeError("Database.connect() has not been called")
        return self._conn, self._thread

    async def write(self, fn: WriteFn[T], *, long: bool = False) -> T:
        """Database.write: short fn joins the next group commit, long=True runs it alone."""
        if long:
            return await self._write_in_thread(fn)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((fn, future))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_pending())
        return await future

    async def run_patiently(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(conn)` in the writer thread, alone, waiting for another process's write lock
        (migrations, the truncating checkpoint)."""
        conn, thread = self._writer()
        async with self._lock:
            return await asyncio.get_running_loop().run_in_executor(
                thread, patiently, conn, lambda: work(conn)
            )

    async def _write_in_thread(self, fn: WriteFn[T]) -> T:
        conn, thread = self._writer()
        loop = asyncio.get_running_loop()
        async with self._lock:
            changes = conn.total_changes
            try:
                [(ok, value)] = await loop.run_in_executor(
                    thread, patiently, conn, lambda: run_batch(conn, [fn])
                )
            except Busy as busy:
                raise engine_neutral(busy.error)  # noqa: B904 - its cause is set
            except Exception as exc:  # the transaction as a whole failed (disk full, I/O error)
                raise engine_neutral(exc)  # noqa: B904 - its cause is set
            # Counted in rows: a long write may have grown the WAL a lot.
            self._units_since_checkpoint += max(1, conn.total_changes - changes)
        if self._units_since_checkpoint >= _CHECKPOINT_EVERY:
            self._checkpoint_in_background()
        if not ok:
            raise engine_neutral(value)
        return value  # type: ignore[no-any-return]

    async def _commit_pending(self) -> None:
        # Committing on the loop thread costs a few microseconds per unit; a hop to a thread and
        # back (and the GIL hand-offs of every statement there) cost far more under load. Writes
        # that arrive while a batch waits for the lock form the next batch: no timer, no delay.
        await asyncio.sleep(0)  # let the requests already under way in this turn join the batch
        while self._pending:
            size = self._max_batch
            batch, self._pending = self._pending[:size], self._pending[size:]
            units = [unit for unit, _ in batch]
            try:
                async with self._lock:
                    outcomes = await self._run_when_free(units)
            except BaseException as exc:
                # The batch did not commit: nobody is told their write succeeded.
                for _, future in batch:
                    if future.done():
                        continue
                    if isinstance(exc, asyncio.CancelledError):
                        future.cancel()
                    else:
                        future.set_exception(engine_neutral(exc))
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():  # the caller went away; the write is committed all the same
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(engine_neutral(value))
            self._units_since_checkpoint += len(units)
            if self._units_since_checkpoint >= _CHECKPOINT_EVERY:
                self._checkpoint_in_background()

    async def _run_when_free(self, units: list[WriteFn[Any]]) -> list[tuple[bool, Any]]:
        """run_batch on the loop, retried while another process holds SQLite's write lock."""
        conn, _ = self._writer()
        deadline = asyncio.get_running_loop().time() + BUSY_SECONDS
        while True:
            try:
                return run_batch(conn, units)
            except Busy as busy:
                if asyncio.get_running_loop().time() > deadline:
                    raise busy.error from None
                await asyncio.sleep(0.005)

    def _checkpoint_in_background(self) -> None:
        """A PASSIVE checkpoint in its own thread: it never blocks writers or the loop."""
        if self._checkpointing is not None and not self._checkpointing.done():
            return
        if self._checkpoint_conn is None or self._checkpoint_thread is None:
            return
        self._units_since_checkpoint = 0
        conn = self._checkpoint_conn
        self._checkpointing = asyncio.get_running_loop().run_in_executor(
            self._checkpoint_thread, passive_checkpoint, conn
        )


async def _close_in(thread: ThreadPoolExecutor, conn: sqlite3.Connection | None) -> None:
    """Close a connection in the thread that uses it, then that thread."""
    if conn is not None:
        await asyncio.get_running_loop().run_in_executor(thread, conn.close)
    thread.shutdown(wait=True)
