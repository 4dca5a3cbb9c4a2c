"""The Database: one writer connection, a few readers, group commit and the migrations runner."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import aiosqlite

from fotfeste.clock import Clock, isoformat_utc

if TYPE_CHECKING:
    from fotfeste.settings import Settings

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

# Every connection gets these. secure_delete overwrites deleted rows on disk: the data is sensitive
# and "delete my account" must not leave it readable in free pages.
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
)

Params = Sequence[Any] | dict[str, Any]
Row = aiosqlite.Row
T = TypeVar("T")
# A unit of group commit: a plain function that runs in the writer thread on a sqlite3 connection.
WriteUnit = Callable[[sqlite3.Connection], T]

# Enough to amortise a commit over many requests, small enough that one batch stays short.
_MAX_BATCH = 256
# Group commits skip SQLite's automatic checkpoint; a background one runs after this many units.
_CHECKPOINT_EVERY = 2000
# How long a group commit waits for another process to release SQLite's write lock.
_BUSY_SECONDS = 5.0


class _Busy(Exception):
    """BEGIN IMMEDIATE found the database locked by another connection; nothing was done."""

    def __init__(self, error: sqlite3.OperationalError) -> None:
        super().__init__(str(error))
        self.error = error


class MigrationError(RuntimeError):
    """A migration file is malformed or failed; nothing of it was applied."""


class Database:
    """Owns the connections. Writes go through one writer, one transaction at a time."""

    def __init__(self, path: Path, *, readers: int = 4, group_commit: bool = True) -> None:
        self.path = path
        # Off: every write() is its own transaction (kept to measure what batching buys).
        self._max_batch = _MAX_BATCH if group_commit else 1
        self._reader_count = max(1, readers)
        self._writer: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers: list[aiosqlite.Connection] = []
        # Group commit: its own connection, used on the event loop under the same write lock;
        # WAL checkpoints for it run in a thread of their own (see _checkpoint_in_background).
        self._batch_conn: sqlite3.Connection | None = None
        self._checkpoint_thread: ThreadPoolExecutor | None = None
        self._checkpoint_conn: sqlite3.Connection | None = None
        self._checkpointing: asyncio.Future[Any] | None = None
        self._units_since_checkpoint = 0
        self._pending: list[tuple[WriteUnit[Any], asyncio.Future[Any]]] = []
        self._committer: asyncio.Task[None] | None = None
        self._inline: sqlite3.Connection | None = None

    async def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._open()
        self._batch_conn = _open_sync_connection(self.path)
        # A busy database (another process writing) must never make the loop wait: BEGIN fails
        # at once and _commit_pending retries after a pause. Checkpoints are not done on commit.
        self._batch_conn.execute("PRAGMA busy_timeout=0")
        self._batch_conn.execute("PRAGMA wal_autocheckpoint=0")
        self._checkpoint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkpoint")
        self._checkpoint_conn = await asyncio.get_running_loop().run_in_executor(
            self._checkpoint_thread, _open_sync_connection, self.path
        )
        for _ in range(self._reader_count):
            conn = await self._open()
            await conn.execute("PRAGMA query_only=ON")
            self._all_readers.append(conn)
            self._readers.put_nowait(conn)
        self._inline = _open_sync_connection(self.path)
        self._inline.execute("PRAGMA query_only=ON")
        # WAL readers are almost never busy; if one is, the loop must not wait for seconds.
        self._inline.execute("PRAGMA busy_timeout=100")

    async def _open(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        for pragma in _PRAGMAS:
            await conn.execute(pragma)
        return conn

    async def close(self) -> None:
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)
            self._committer = None
        if self._checkpointing is not None:
            await asyncio.gather(self._checkpointing, return_exceptions=True)
            self._checkpointing = None
        if self._batch_conn is not None:
            self._batch_conn.close()
            self._batch_conn = None
        if self._checkpoint_thread is not None:
            if self._checkpoint_conn is not None:
                await asyncio.get_running_loop().run_in_executor(
                    self._checkpoint_thread, self._checkpoint_conn.close
                )
                self._checkpoint_conn = None
            self._checkpoint_thread.shutdown(wait=True)
            self._checkpoint_thread = None
        for conn in self._all_readers:
            await conn.close()
        self._all_readers.clear()
        self._readers = asyncio.Queue()
        if self._writer is not None:
            await self._writer.close()
            self._writer = None

    @property
    def writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise RuntimeError("Database.connect() has not been called")
        return self._writer

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work on the writer: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error."""
        async with self._write_lock:
            conn = self.writer
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.rollback()
                raise
            await conn.commit()

    async def write(self, unit: WriteUnit[T]) -> T:
        """Run `unit(conn)` in the next group commit and return its result once committed.

        Concurrent writes share one transaction (one commit instead of many), each inside its own
        SAVEPOINT: a unit that raises is rolled back alone and its caller gets the exception, while
        the others commit. The result is only returned after COMMIT, so an acknowledged write is
        in the database (WAL). Units run on the event loop thread on a plain sqlite3 connection:
        they must be synchronous and short (a few indexed statements), and do nothing but SQL.
        """
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((unit, future))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_pending())
        return await future

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
                async with self._write_lock:
                    outcomes = await self._run_when_free(units)
            except BaseException as exc:
                # The batch did not commit: nobody is told their write succeeded.
                for _, future in batch:
                    if future.done():
                        continue
                    if isinstance(exc, asyncio.CancelledError):
                        future.cancel()
                    else:
                        future.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():  # the caller went away; the write is committed all the same
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
            self._units_since_checkpoint += len(units)
            if self._units_since_checkpoint >= _CHECKPOINT_EVERY:
                self._checkpoint_in_background()

    async def _run_when_free(self, units: list[WriteUnit[Any]]) -> list[tuple[bool, Any]]:
        """_run_batch, retried while another process holds SQLite's write lock (busy_timeout)."""
        if self._batch_conn is None:
            raise RuntimeError("Database.connect() has not been called")
        deadline = asyncio.get_running_loop().time() + _BUSY_SECONDS
        while True:
            try:
                return _run_batch(self._batch_conn, units)
            except _Busy as busy:
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
            self._checkpoint_thread, _passive_checkpoint, conn
        )

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = await self._readers.get()
        try:
            yield conn
        finally:
            self._readers.put_nowait(conn)

    async def lookup(self, sql: str, params: Params = ()) -> list[Row]:
        """A short indexed read (by primary key or unique index) run right here on the event loop.

        Such a read takes microseconds, less than the hop to a reader thread and back (and the
        GIL hand-offs that come with it), so hot paths like the token check use this. Anything
        that may scan many rows belongs in `fetchall`, which runs on a reader thread.
        """
        if self._inline is None:
            raise RuntimeError("Database.connect() has not been called")
        return self._inline.execute(sql, params).fetchall()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self.reader() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    # --- schema ---------------------------------------------------------------------------

    async def migrate(self, clock: Clock, directory: Path = MIGRATIONS_DIR) -> list[str]:
        """Apply the .sql files not yet recorded, each in one transaction with its record."""
        conn = self.writer
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {
            row[0] for row in await conn.execute_fetchall("SELECT version FROM schema_migrations")
        }
        applied = []
        async with self._write_lock:
            for version, name, path in _migration_files(directory):
                if version in done:
                    continue
                script = (
                    "BEGIN IMMEDIATE;\n"
                    f"{path.read_text(encoding='utf-8')}\n;\n"
                    "INSERT INTO schema_migrations (version, name, applied_at) "
                    f"VALUES ({version}, '{name}', '{isoformat_utc(clock.now())}');\n"
                    "COMMIT;"
                )
                try:
                    await conn.executescript(script)
                except Exception as exc:
                    if conn.in_transaction:
                        await conn.rollback()
                    raise MigrationError(f"migration {path.name} failed: {exc}") from exc
                log.info("applied migration %s", path.name)
                applied.append(path.name)
        return applied

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
        return await self.fetchall(
            'SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)', (table,)
        )

    async def checkpoint(self) -> None:
        """Fold the WAL into the main file and truncate it (after deletions of personal data)."""
        async with self._write_lock:
            await self.writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _open_sync_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    for pragma in _PRAGMAS:
        conn.execute(pragma)
    return conn


def _run_batch(conn: sqlite3.Connection, units: list[WriteUnit[Any]]) -> list[tuple[bool, Any]]:
    """One transaction, one SAVEPOINT per unit."""
    outcomes: list[tuple[bool, Any]] = []
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise _Busy(error) from error
        raise
    try:
        for unit in units:
            conn.execute("SAVEPOINT unit")
            try:
                value = unit(conn)
            except Exception as exc:
                if not conn.in_transaction:
                    # SQLite abandoned the whole transaction (I/O error, full disk): the units
                    # before this one are gone too, so the batch fails as a whole.
                    raise
                conn.execute("ROLLBACK TO unit")
                conn.execute("RELEASE unit")
                outcomes.append((False, exc))
            else:
                conn.execute("RELEASE unit")
                outcomes.append((True, value))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _passive_checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _migration_files(directory: Path) -> Iterable[tuple[int, str, Path]]:
    seen: dict[int, str] = {}
    for path in sorted(directory.glob("*.sql")):
        if path.name.endswith(".postgresql.sql"):
            continue  # PostgreSQL's own text of the migration of the same number (db_postgres.py)
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        version = int(match.group(1))
        if version in seen:
            raise MigrationError(f"{path.name} and {seen[version]} share number {version}")
        seen[version] = path.name
        yield version, match.group(2), path


def open_database(settings: Settings, *, readers: int | None = None) -> Database:
    """The engine FOTFESTE_DATABASE_URL names: SQLite (the default) or PostgreSQL.

    PostgreSQL's class offers the same public interface (db_postgres.py); it is only imported
    when asked for, so a SQLite deployment needs no PostgreSQL driver.
    """
    count = settings.reader_connections if readers is None else readers
    if settings.postgresql and settings.database_url is not None:
        from fotfeste.db_postgres import PostgresDatabase

        return cast(
            Database,
            PostgresDatabase(
                settings.database_url, readers=count, group_commit=settings.group_commit
            ),
        )
    return Database(settings.database_path, readers=count, group_commit=settings.group_commit)
