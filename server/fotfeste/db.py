"""The database: one way to write, `await db.write(fn)`; reads; migrations. Stores see only this.

The whole public interface (a PostgreSQL backend, issue 19, offers the same):

Writes. `await db.write(fn)` runs `fn(conn)`, a plain synchronous function, as one transaction,
and returns what fn returned once that transaction is committed. If fn raises, nothing it did is
kept and the exception reaches the caller (a constraint violation as `IntegrityError`, a locked or
full database as `Unavailable`, which the API answers with 503). fn does SQL and nothing else: what
it needs (argon2 hashes, the time, fetched feeds, reads that may wait) is computed before it, and
what it returns is acted on after; it cannot await, so no transaction is ever held open across an
await. One statement reads well as a lambda: `await db.write(lambda conn: conn.execute(sql, args))`.
This is Datasette's `execute_write_fn(fn)`; how it runs, measured on bench.checkins:

- short writes (the default; a few indexed statements: a check-in, a setting, a login) run on the
  event loop thread, and those that arrive together share one commit (group commit), each inside
  its own SAVEPOINT so a failing fn is rolled back alone (bench.checkins, 64 clients, 2026-12-03:
  1,840 check-ins/s at 143 µs of CPU each; one transaction each, 1,506/s at 197 µs; Datasette's
  way, each in the writer thread, 1,260/s at 460 µs);
- `await db.write(fn, long=True)`: for writes that may take more than a few milliseconds (deleting
  an account, importing 100,000 meetings, a scheduler round, a batch of outbox rows). fn runs in
  the writer thread, alone in its transaction, while the event loop keeps serving requests. Same
  contract otherwise. When in doubt, say long=True: it costs a thread hop, never correctness.

Writes are serialised: one transaction at a time, of either kind.

Reads see committed data:
- `await db.fetchall(sql, params)` -> list of rows, `fetchone` -> a row or None, `fetchval` -> the
  first column of the first row or None: run in a pool of reader threads. Use these by default.
- `await db.lookup(sql, params)` -> list of rows, run right on the event loop: only for reads by
  primary key or unique index on hot paths (the token check, GET /api/me), where the hop to a
  thread costs more than the read (about a quarter of the CPU of fetchall for such a read). Never
  for anything that may touch many rows.

The connection fn gets is typed as `Conn` below, and stores use nothing else: `conn.execute(sql,
params)` returning a `Cursor` (fetchone, fetchall, rowcount) and `conn.executemany(sql, rows)`.
SQL uses `?` or `:name` placeholders; rows are read as row["col"] or row[0]; new ids come back
with RETURNING (there is no lastrowid). SQLite itself (PRAGMAs, executescript, sqlite3's errors)
stays in this module and db_sqlite.py; the writer, its group commit and checkpoints, in
db_sqlite_writer.py; the errors, the same on either engine, in db_errors.py.

Schema: `migrate(clock)` applies the numbered .sql files; `tables()`, `columns(table)` and
`foreign_keys(table)` describe the schema (account export and delete are derived from it);
`checkpoint()` makes deleted personal data unreadable on disk (a no-op where that does not apply).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db_errors import IntegrityError as IntegrityError
from fotfeste.db_errors import MigrationError as MigrationError
from fotfeste.db_errors import Unavailable as Unavailable
from fotfeste.db_sqlite import (
    MIGRATIONS_DIR,
    apply_migrations,
    engine_neutral,
    open_connection,
    truncating_checkpoint,
)
from fotfeste.db_sqlite_writer import SqliteWriter

if TYPE_CHECKING:
    from fotfeste.settings import Settings

Params = Sequence[Any] | Mapping[str, Any]
T = TypeVar("T")


class Row(Protocol):
    """A result row: row["col"] or row[0]; iterating gives the values in column order."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    """What conn.execute returns. rowcount: rows changed by an INSERT/UPDATE/DELETE."""

    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...  # Row | None (Any so callers need no cast)
    def fetchall(self) -> list[Any]: ...  # list[Row]


class Conn(Protocol):
    """The connection a write function gets: statements only, no transaction control."""

    def execute(self, sql: str, parameters: Params = (), /) -> Cursor: ...
    def executemany(self, sql: str, seq_of_parameters: Iterable[Params], /) -> Cursor: ...


# A write function: plain, synchronous, SQL only (see the module docstring).
WriteFn = Callable[[Conn], T]


def lock_key(conn: Conn, key: str) -> None:
    """Hold `key` until this write commits: for a count read and then written (rate limits,
    failed log-ins). SQLite runs one writer at a time, so this is a no-op there; PostgreSQL
    (READ COMMITTED, several writers) takes a transaction-scoped advisory lock (dialect.py), and
    a unit that waited reads what the holder committed. A unit that takes one is written with
    long=True, alone in its transaction: two processes' group commits holding two keys each,
    taken in opposite orders, would deadlock."""
    conn.execute("SELECT fotfeste_lock(?)", (key,))


# Enough to amortise a commit over many requests, small enough that one batch stays short.
_MAX_BATCH = 256


class Database:
    """Owns the connections: one writer (SqliteWriter), a few readers, and the inline reader."""

    def __init__(self, path: Path, *, readers: int = 4, group_commit: bool = True) -> None:
        self.path = path
        # Off: every short write is its own transaction (kept to measure what batching buys).
        self._writes = SqliteWriter(path, max_batch=_MAX_BATCH if group_commit else 1)
        self._reader_count = max(1, readers)
        # Reads: a pool of threads, each with its own read-only connection (opened on first use).
        self._read_threads: ThreadPoolExecutor | None = None
        # A read is handed to a thread only when one is free: queued reads wait on the loop, so
        # busy reader threads do not run back to back and starve the loop of the GIL (measured
        # on bench.loadtest: without this, the p50 of check-ins was 4 times as long).
        self._read_slots = asyncio.Semaphore(self._reader_count)
        self._read_local = threading.local()
        self._read_conns: list[sqlite3.Connection] = []
        self._read_conns_lock = threading.Lock()
        self._inline: sqlite3.Connection | None = None

    async def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await self._writes.open()
        self._read_threads = ThreadPoolExecutor(
            max_workers=self._reader_count, thread_name_prefix="reader"
        )
        self._inline = open_connection(self.path)
        self._inline.execute("PRAGMA query_only=ON")
        # WAL readers are almost never busy; if one is, the loop must not wait for seconds.
        self._inline.execute("PRAGMA busy_timeout=100")

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        await self._writes.close()  # pending group commits and a long write finish first
        if self._read_threads is not None:
            await loop.run_in_executor(None, self._read_threads.shutdown)
            self._read_threads = None
            for conn in self._read_conns:
                conn.close()
            self._read_conns.clear()

    # --- writes ---------------------------------------------------------------------------

    async def write(self, fn: WriteFn[T], *, long: bool = False) -> T:
        """Run `fn(conn)` as one transaction; return its result once committed (module docstring).

        Short (default): fn joins the next group commit on the event loop thread, inside its own
        SAVEPOINT, so it must be a few indexed statements. long=True: fn runs in the writer
        thread, alone, and the loop stays free.
        """
        return await self._writes.write(fn, long=long)

    async def checkpoint(self) -> None:
        """Fold the WAL into the main file and truncate it (after deletions of personal data)."""
        await self._writes.run_patiently(truncating_checkpoint)

    # --- reads ----------------------------------------------------------------------------

    async def lookup(self, sql: str, params: Params = ()) -> list[Row]:
        """A short indexed read (by primary key or unique index) run right here on the event loop.

        Such a read takes microseconds, less than the hop to a reader thread and back (and the
        GIL hand-offs that come with it), so hot paths like the token check use this. Anything
        that may scan many rows belongs in `fetchall`, which runs on a reader thread.
        """
        if self._inline is None:
            raise RuntimeError("Database.connect() has not been called")
        try:
            return self._inline.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise engine_neutral(exc)  # noqa: B904 - its cause is set

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        if self._read_threads is None:
            raise RuntimeError("Database.connect() has not been called")
        try:
            async with self._read_slots:
                return await asyncio.get_running_loop().run_in_executor(
                    self._read_threads, self._read, sql, params
                )
        except sqlite3.OperationalError as exc:
            raise engine_neutral(exc)  # noqa: B904 - its cause is set

    def _read(self, sql: str, params: Params) -> list[Row]:
        """In a reader thread, on that thread's own connection."""
        conn: sqlite3.Connection | None = getattr(self._read_local, "conn", None)
        if conn is None:
            conn = self._read_local.conn = open_connection(self.path)
            conn.execute("PRAGMA query_only=ON")
            with self._read_conns_lock:
                self._read_conns.append(conn)
        return conn.execute(sql, params).fetchall()

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    # --- schema ---------------------------------------------------------------------------

    async def migrate(self, clock: Clock, directory: Path = MIGRATIONS_DIR) -> list[str]:
        """Apply the .sql files not yet recorded, each in one transaction with its record."""
        now = isoformat_utc(clock.now())
        return await self._writes.run_patiently(lambda conn: apply_migrations(conn, directory, now))

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
        return [row[0] for row in rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self.fetchall("SELECT name FROM pragma_table_info(?)", (table,))
        return [row[0] for row in rows]

    async def foreign_keys(self, table: str) -> list[Row]:
        """Rows with "table" (the referenced one), "from", "to" and "on_delete" ('CASCADE', …)."""
        return await self.fetchall(
            'SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)', (table,)
        )


def open_database(settings: Settings, *, readers: int | None = None) -> Database:
    """The engine FOTFESTE_DATABASE_URL names: SQLite (the default) or PostgreSQL.

    PostgreSQL's class (db_postgres.py) offers the same public interface; it is imported only
    when asked for, so a SQLite deployment needs no PostgreSQL driver.
    """
    count = settings.reader_connections if readers is None else readers
    if settings.postgresql and settings.database_url is not None:
        from fotfeste.db_postgres import PostgresDatabase

        url, commit = settings.database_url, settings.group_commit
        return cast(Database, PostgresDatabase(url, readers=count, group_commit=commit))
    return Database(settings.database_path, readers=count, group_commit=settings.group_commit)
