"""The Database: one writer connection, a few readers, and the migrations runner."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from fotfeste.clock import Clock, isoformat_utc

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


class MigrationError(RuntimeError):
    """A migration file is malformed or failed; nothing of it was applied."""


class Database:
    """Owns the connections. Writes go through one writer, one transaction at a time."""

    def __init__(self, path: Path, *, readers: int = 4) -> None:
        self.path = path
        self._reader_count = max(1, readers)
        self._writer: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers: list[aiosqlite.Connection] = []

    async def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._open()
        for _ in range(self._reader_count):
            conn = await self._open()
            await conn.execute("PRAGMA query_only=ON")
            self._all_readers.append(conn)
            self._readers.put_nowait(conn)

    async def _open(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        for pragma in _PRAGMAS:
            await conn.execute(pragma)
        return conn

    async def close(self) -> None:
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

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = await self._readers.get()
        try:
            yield conn
        finally:
            self._readers.put_nowait(conn)

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


def _migration_files(directory: Path) -> Iterable[tuple[int, str, Path]]:
    seen: dict[int, str] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        version = int(match.group(1))
        if version in seen:
            raise MigrationError(f"{path.name} and {seen[version]} share number {version}")
        seen[version] = path.name
        yield version, match.group(2), path
