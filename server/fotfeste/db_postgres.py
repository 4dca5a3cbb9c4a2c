"""The Database on PostgreSQL: the same public interface as db.py's, the same SQL (dialect.py).

Driver: psycopg 3. Its sync and async APIs share adapters, so the stores' synchronous write
units (plain functions on a connection, written for sqlite3) run unchanged in one writer thread
on a sync connection, while reads use an async pool on the event loop. Writes are group-committed
per process as on SQLite (one transaction, one SAVEPOINT per unit); several processes write at
once, and PostgreSQL's row locks keep them apart.
How psycopg's rows, numbers and bools are made to look as sqlite3's: db_postgres_adapt.py.

Errors are db.py's: a constraint violation is db.IntegrityError, a server that cannot be reached
(restarting, failing over) db.Unavailable, which the API answers with 503 and Retry-After.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg import pq
from psycopg_pool import AsyncConnectionPool

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import WriteFn
from fotfeste.db_errors import MigrationError, Unavailable
from fotfeste.db_postgres_adapt import (
    Params,
    WriteConnection,
    configure,
    row_factory,
    statement_errors,
)
from fotfeste.db_sqlite import MIGRATIONS_DIR, migration_files, run_units
from fotfeste.dialect import schema_to_postgresql, to_postgresql

log = logging.getLogger(__name__)

T = TypeVar("T")
_MAX_BATCH = 256
# How long a new connection may take, and how long a read waits for a pooled connection: while
# the server is known to be down, briefly (a 503 at once rather than a request left hanging),
# otherwise long enough for a burst of readers to take their turns.
_CONNECT_SECONDS = 5
_POOL_WAIT_SECONDS = 10.0
_POOL_WAIT_DOWN_SECONDS = 0.5
# A close waits this long for the writer thread's statement before cancelling it.
_CLOSE_SECONDS = 10.0
# One number for every Fotfeste advisory lock, the second key names the job.
ADVISORY_NAMESPACE = 0x466F7466  # "Fotf"


def _unavailable(exc: BaseException) -> Unavailable:
    return Unavailable(f"PostgreSQL unavailable ({exc})")


# What reads and writes answer with Unavailable (503, try again): the server restarting, failing
# over, out of reach, no pooled connection in time, and a transaction it gave up on (a deadlock,
# a cancelled statement), as against an error in a statement. Only the first kind marks the
# server down (gone(), PostgresDatabase._lost).
SERVER_GONE = (psycopg.OperationalError, psycopg.InterfaceError)


def gone(exc: BaseException) -> bool:
    """No live server behind the error: no SQLSTATE at all (a lost connection, a pool timeout),
    a connection error (class 08) or a shutdown (57P01-57P03). A deadlock (40P01) or a cancelled
    statement (57014) comes from a server that is up."""
    sqlstate = getattr(exc, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


class PostgresDatabase:
    """Owns a writer connection (in its own thread) and an async pool of readers."""

    engine = "postgresql"

    def __init__(self, url: str, *, readers: int = 4, group_commit: bool = True) -> None:
        self.url = url
        self.path = Path(url)  # for messages only; there is no file
        self._max_batch = _MAX_BATCH if group_commit else 1
        self._reader_count = max(1, readers)
        self._pool: AsyncConnectionPool | None = None
        self._writer: psycopg.Connection[Any] | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._pending: list[tuple[WriteFn[Any], asyncio.Future[Any]]] = []
        self._committer: asyncio.Task[None] | None = None
        # Set when the server could not be reached (by a read or a write), cleared by the next
        # read or write that succeeds.
        self._down = False
        self._checking: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-writer")
        await self._in_writer(self._open_writer)
        self._pool = AsyncConnectionPool(
            self.url,
            min_size=1,
            max_size=self._reader_count,
            kwargs={
                "autocommit": True,
                "cursor_factory": psycopg.AsyncClientCursor,
                "connect_timeout": _CONNECT_SECONDS,
            },
            configure=self._configure_reader,
            open=False,
        )
        await self._pool.open(wait=True, timeout=30)

    @staticmethod
    async def _configure_reader(conn: psycopg.AsyncConnection[Any]) -> None:
        configure(conn)
        conn.row_factory = row_factory

    def _open_writer(self) -> None:
        conn = psycopg.connect(
            self.url,
            autocommit=True,
            cursor_factory=psycopg.ClientCursor,
            connect_timeout=_CONNECT_SECONDS,
        )
        configure(conn)
        self._writer = conn

    async def _in_writer(self, fn: Any, *args: Any) -> Any:
        if self._thread is None:
            raise RuntimeError("Database.connect() has not been called")
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    async def close(self) -> None:
        # Bounded: a writer blocked on a statement (a lock another process holds, a server that
        # stopped answering) has that statement cancelled instead of holding up the shutdown.
        if self._committer is not None:
            await self._bounded(asyncio.gather(self._committer, return_exceptions=True))
            self._committer = None
        if self._checking is not None:
            self._checking.cancel()
            await asyncio.gather(self._checking, return_exceptions=True)
            self._checking = None
        if self._pool is not None:
            await self._pool.close(timeout=_CLOSE_SECONDS)
            self._pool = None
        if self._thread is not None:
            if self._writer is not None:
                await self._bounded(self._in_writer(self._writer.close))
                self._writer = None
            self._thread.shutdown(wait=False)
            self._thread = None

    async def _bounded(self, waiting: Any) -> None:
        """Wait for the writer thread's work; past _CLOSE_SECONDS, cancel its statement."""
        task = asyncio.ensure_future(waiting)
        done, _ = await asyncio.wait({task}, timeout=_CLOSE_SECONDS)
        if done:
            return
        writer = self._writer
        if writer is not None and not writer.closed:
            log.warning("cancelling the writer's statement to close the database")
            await asyncio.to_thread(writer.cancel_safe, timeout=_CONNECT_SECONDS)
        await asyncio.wait({task}, timeout=_CLOSE_SECONDS)

    # --- writes ---------------------------------------------------------------------------
    async def write(self, unit: WriteFn[T], *, long: bool = False) -> T:
        """Run `unit(conn)` in the next group commit; its result once committed (see db.py).

        Every unit runs in the writer thread here (a hop costs little next to a round trip to
        the server); a long one runs alone in its transaction.
        """
        if long:
            outcome = (await self._write_batch([unit]))[0]
            if outcome[0]:
                return outcome[1]  # type: ignore[no-any-return]
            raise outcome[1]
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((unit, future))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_pending())
        return await future

    async def _commit_pending(self) -> None:
        await asyncio.sleep(0)
        while self._pending:
            batch, self._pending = (
                self._pending[: self._max_batch],
                self._pending[self._max_batch :],
            )
            try:
                outcomes = await self._write_batch([unit for unit, _ in batch])
            except BaseException as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(
                            exc
                            if not isinstance(exc, asyncio.CancelledError)
                            else _unavailable(exc)
                        )
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    async def _write_batch(self, units: list[WriteFn[Any]]) -> list[tuple[bool, Any]]:
        """_run_batch in the writer thread; a lost server marks it down, as a read does."""
        try:
            outcomes: list[tuple[bool, Any]] = await self._in_writer(self._run_batch, units)
        except SERVER_GONE as exc:
            raise self._lost(exc) from exc
        self._down = False
        return outcomes

    def _run_batch(self, units: list[WriteFn[Any]]) -> list[tuple[bool, Any]]:
        """In the writer thread: one transaction, one SAVEPOINT per unit."""
        if self._writer is None or self._writer.closed or self._writer.broken:
            self._open_writer()
        assert self._writer is not None
        conn = self._writer
        conn.execute("BEGIN")
        try:
            # A lost server takes the transaction with it: the batch fails as a whole.
            outcomes = run_units(
                conn.execute,
                WriteConnection(conn),
                units,
                batch_lost=lambda exc: isinstance(exc, SERVER_GONE),
            )
            conn.execute("COMMIT")
        except BaseException:
            if not conn.broken and conn.info.transaction_status != pq.TransactionStatus.IDLE:
                conn.execute("ROLLBACK")
            raise
        return outcomes

    # --- reads ----------------------------------------------------------------------------
    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        if self._pool is None:
            raise RuntimeError("Database.connect() has not been called")
        wait = _POOL_WAIT_DOWN_SECONDS if self._down else _POOL_WAIT_SECONDS
        try:
            async with self._pool.connection(timeout=wait) as conn:
                with statement_errors():
                    cursor = await conn.execute(to_postgresql(sql), params or None)
                    rows = await cursor.fetchall()
        except SERVER_GONE as exc:
            raise self._lost(exc) from exc
        self._down = False
        return rows

    def _lost(self, exc: BaseException) -> Unavailable:
        """The server was lost (a restart, a failover), seen by a read or a write: say so at once
        to the requests that follow, and have the pool drop its other connections to the old
        server now rather than failing one request each on them later. The caller raises the
        Unavailable returned."""
        if not gone(exc):
            return _unavailable(exc)
        self._down = True
        if self._pool is not None and (self._checking is None or self._checking.done()):
            self._checking = asyncio.create_task(self._pool.check())
        return _unavailable(exc)

    async def lookup(self, sql: str, params: Params = ()) -> list[Any]:
        return await self.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def native(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """A pooled connection in PostgreSQL's own SQL (advisory locks, LISTEN, copy-to)."""
        if self._pool is None:
            raise RuntimeError("Database.connect() has not been called")
        async with self._pool.connection() as conn:
            yield conn

    # --- schema ---------------------------------------------------------------------------
    async def migrate(self, clock: Clock, directory: Path = MIGRATIONS_DIR) -> list[str]:
        return list(await self._in_writer(self._migrate, isoformat_utc(clock.now()), directory))

    def _migrate(self, now: str, directory: Path) -> list[str]:
        assert self._writer is not None
        conn = self._writer
        applied: list[str] = []
        with conn.transaction():
            # Two processes starting at once: one migrates, the other waits and finds it done.
            conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", (ADVISORY_NAMESPACE,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for version, name, path in migration_files(directory):
                if version in done:
                    continue
                script = migration_script(path)
                try:
                    with conn.transaction():
                        conn.execute(script.encode())
                        conn.execute(
                            "INSERT INTO schema_migrations (version, name, applied_at)"
                            " VALUES (%s, %s, %s)",
                            (version, name, now),
                        )
                except psycopg.Error as exc:
                    raise MigrationError(f"migration {path.name} failed: {exc}") from exc
                log.info("applied migration %s", path.name)
                applied.append(path.name)
        return applied

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        return [row[0] for row in rows]

    async def columns(self, table: str) -> list[str]:
        # `seq` stands in for SQLite's rowid: internal, never exported.
        rows = await self.fetchall(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ? AND column_name <> 'seq'"
            " ORDER BY ordinal_position",
            (table,),
        )
        return [row[0] for row in rows]

    async def foreign_keys(self, table: str) -> list[Any]:
        return await self.fetchall(
            'SELECT ref.relname AS "table", a.attname AS "from", fa.attname AS "to",'
            " CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'"
            " WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS on_delete"
            " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
            " JOIN pg_class ref ON ref.oid = c.confrelid"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]"
            " WHERE c.contype = 'f' AND t.relname = ? ORDER BY a.attname",
            (table,),
        )

    async def checkpoint(self) -> None:
        """Nothing, on purpose. SQLite's checkpoint (with secure_delete) leaves no copy of a
        deleted account on disk. Here nothing can promise that: a VACUUM (or VACUUM FULL) after
        a delete only marks the space free or writes a new file, the old bytes stay until reused,
        and the WAL, its archive and the replica hold them anyway; so the request pays for no
        VACUUM, autovacuum reuses the space, and deploy/postgresql.md says what to do instead
        (encrypted disks, a retention period for the WAL archive and base backups)."""


def migration_script(path: Path) -> str:
    """The PostgreSQL text of a migration: its own .postgresql.sql file, or the common one."""
    own = path.with_name(path.name.removesuffix(".sql") + ".postgresql.sql")
    if own.exists():
        return own.read_text(encoding="utf-8")
    return schema_to_postgresql(path.read_text(encoding="utf-8"))
