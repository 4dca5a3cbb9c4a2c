"""SQLite underneath db.py: connections, a batch of write functions in one transaction, migrations.

Synchronous functions on sqlite3 connections, called by fotfeste.db (on the event loop or in its
writer and reader threads), and by backup.py for the migration numbers. Stores use fotfeste.db.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from fotfeste.db_errors import IntegrityError, MigrationError, Unavailable

log = logging.getLogger("fotfeste.db")

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

# Every connection gets these. secure_delete overwrites deleted rows on disk: the data is sensitive
# and "delete my account" must not leave it readable in free pages.
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
)
# How long a write waits for another process to release SQLite's write lock.
BUSY_SECONDS = 5.0
T = TypeVar("T")


class Busy(Exception):
    """BEGIN IMMEDIATE found the database locked by another connection; nothing was done."""

    def __init__(self, error: sqlite3.OperationalError) -> None:
        super().__init__(str(error))
        self.error = error


def engine_neutral(exc: BaseException) -> BaseException:
    """sqlite3's errors as db_errors' IntegrityError and Unavailable; others unchanged."""
    error: Exception
    if isinstance(exc, sqlite3.IntegrityError):
        error = IntegrityError(str(exc))
    elif isinstance(exc, sqlite3.OperationalError) and _passing(exc):
        error = Unavailable(str(exc))
    else:
        return exc
    error.__cause__ = exc
    return error


def _passing(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return any(word in message for word in ("locked", "busy", "full", "disk i/o"))


def open_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        conn.execute(pragma)
    # db.lock_key's statement: the write lock already serialises every unit here.
    conn.create_function("fotfeste_lock", 1, _no_lock, deterministic=True)
    return conn


def _no_lock(_key: object) -> None:
    return None


def patiently(conn: sqlite3.Connection, work: Callable[[], T]) -> T:
    """Run work in the writer thread, where waiting for another process's lock blocks no one."""
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
    try:
        return work()
    finally:
        conn.execute("PRAGMA busy_timeout=0")


def run_batch(
    conn: sqlite3.Connection, units: Sequence[Callable[[sqlite3.Connection], Any]]
) -> list[tuple[bool, Any]]:
    """One transaction, one SAVEPOINT per unit."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise Busy(error) from error
        raise
    try:
        # SQLite abandons the whole transaction on an I/O error or a full disk: the units before
        # the one that met it are gone too, so the batch fails as a whole.
        outcomes = run_units(
            conn.execute, conn, units, batch_lost=lambda _: not conn.in_transaction
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def run_units(
    execute: Callable[[str], object],
    view: Any,
    units: Sequence[Callable[[Any], Any]],
    *,
    batch_lost: Callable[[Exception], bool],
) -> list[tuple[bool, Any]]:
    """`unit(view)` for each unit, each in its own SAVEPOINT of the transaction the caller began
    (on either engine: db_postgres.py's batches too). A unit that raises is rolled back alone and
    its exception is its outcome, unless `batch_lost(exc)` says the transaction went with it: then
    it is raised, and the batch fails as a whole."""
    outcomes: list[tuple[bool, Any]] = []
    for unit in units:
        execute("SAVEPOINT unit")
        try:
            value = unit(view)
            if asyncio.iscoroutine(value):
                value.close()
                raise TypeError(f"{unit!r} is async; write functions are plain functions")
        except Exception as exc:
            if batch_lost(exc):
                raise
            execute("ROLLBACK TO SAVEPOINT unit")
            execute("RELEASE SAVEPOINT unit")
            outcomes.append((False, exc))
        else:
            execute("RELEASE SAVEPOINT unit")
            outcomes.append((True, value))
    return outcomes


def truncating_checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def passive_checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def apply_migrations(conn: sqlite3.Connection, directory: Path, now: str) -> list[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, path in migration_files(directory):
        if version in done:
            continue
        # The record goes first, under the write lock: another process (two `migrate`s or
        # `serve`s started at once) that read the same `done` and applied this migration
        # meanwhile makes it fail on the primary key, and this one skips what is already there.
        script = (
            "BEGIN IMMEDIATE;\n"
            "INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({version}, '{name}', '{now}');\n"
            f"{path.read_text(encoding='utf-8')}\n;\n"
            "COMMIT;"
        )
        try:
            conn.executescript(script)
        except Exception as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if _recorded(conn, version):
                continue
            raise MigrationError(f"migration {path.name} failed: {exc}") from exc
        log.info("applied migration %s", path.name)
        applied.append(path.name)
    return applied


def _recorded(conn: sqlite3.Connection, version: int) -> bool:
    row = conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,))
    return row.fetchone() is not None


def migration_files(directory: Path) -> Iterable[tuple[int, str, Path]]:
    seen: dict[int, str] = {}
    for path in sorted(directory.glob("*.sql")):
        if path.name.endswith(".postgresql.sql"):
            continue  # PostgreSQL's own text of the migration of that number (db_postgres.py)
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        version = int(match.group(1))
        if version in seen:
            raise MigrationError(f"{path.name} and {seen[version]} share number {version}")
        seen[version] = path.name
        yield version, match.group(2), path
