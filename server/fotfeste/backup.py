"""`fotfeste backup PATH` and `fotfeste restore PATH`: consistent copies of the live database."""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fotfeste.clock import SystemClock
from fotfeste.db_sqlite import MIGRATIONS_DIR, migration_files
from fotfeste.settings import Settings


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int
    migration: int
    size_bytes: int


def backup(database: Path, target: Path) -> Summary:
    """Copy the live database to `target` with SQLite's online backup API.

    The copy is taken in one step inside one read transaction, so it is a consistent snapshot
    even while the server writes (WAL readers never block the writer). It is written beside the
    target, checked, and only then renamed into place: a failed backup never leaves a half file.
    """
    if not database.exists():
        raise BackupError(f"no database at {database} (is FOTFESTE_DATA_DIR right?)")
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy, pages=-1)
                # A backup is one self-contained file: no -wal beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
        finally:
            source.close()
        summary = verify(partial)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(target, summary.tables, summary.rows, summary.migration, summary.size_bytes)


def verify(path: Path) -> Summary:
    """Integrity-check a database file and count what it holds; BackupError if it is unusable."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened: {exc}") from None
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(f"{path} fails the integrity check: {'; '.join(result[:5])}")
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        if "schema_migrations" not in names:
            raise BackupError(f"{path} is not a Fotfeste database (no schema_migrations table)")
        migration = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
        version = int(migration.fetchone()[0])
        rows = sum(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names)  # noqa: S608 — names come from sqlite_master
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from None
    finally:
        conn.close()
    return Summary(path, len(names), rows, version, path.stat().st_size)


def in_use(database: Path) -> bool:
    """True when another connection (a running server, a sqlite3 shell) has the database open.

    Leaving WAL mode needs every other connection closed, so the attempt fails at once while
    anyone holds it open. When nobody does, the file is left in rollback-journal mode, which is
    harmless: it is about to be replaced, and the server turns WAL back on when it opens it.
    """
    if not database.exists():
        return False
    conn = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        return str(mode).lower() != "delete"
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            return True
        raise
    finally:
        conn.close()


def restore(source: Path, database: Path, *, now: datetime) -> tuple[Summary, Path | None]:
    """Put a backup in place of the database; the old file is kept beside it, renamed.

    Refuses while the database is open anywhere, when the backup fails its integrity check, and
    when the backup comes from a newer version of Fotfeste than this one (unknown migrations).
    """
    summary = verify(source)
    known = max((version for version, _, _ in migration_files(MIGRATIONS_DIR)), default=0)
    if summary.migration > known:
        raise BackupError(
            f"{source} was made by a newer Fotfeste (migration {summary.migration}, this one knows "
            f"up to {known}); upgrade Fotfeste first"
        )
    if in_use(database):
        raise BackupError(
            f"{database} is in use: stop the server first (systemctl stop fotfeste), then restore"
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f".{database.name}.restoring")
    incoming.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(incoming)
            try:
                src.backup(dst, pages=-1)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        verify(incoming)
        _fsync(incoming)
        kept = None
        if database.exists():
            kept = database.with_name(
                f"{database.name}.before-restore-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            )
            os.replace(database, kept)
        # A stale WAL beside the new file would be replayed into it: never leave one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, database)
        _fsync(database.parent)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    return verify(database), kept


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on directories
            os.fsync(fd)
    finally:
        os.close(fd)


# --- the commands -------------------------------------------------------------------------------


def _describe(summary: Summary) -> str:
    return (
        f"{summary.tables} tables, {summary.rows} rows, migration {summary.migration}, "
        f"{summary.size_bytes / 1024:.0f} KiB"
    )


def add_backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="the new backup file (must not exist)")


def _postgresql(command: str, settings: Settings) -> bool:
    """These commands copy SQLite's file; PostgreSQL has its own tools."""
    if settings.postgresql:
        print(
            f"fotfeste {command}: the database is PostgreSQL; use pg_basebackup and WAL"
            " archiving, or pg_dump (deploy/postgresql.md)"
        )
    return settings.postgresql


def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    if _postgresql("backup", settings):
        return 2
    try:
        summary = backup(settings.database_path, args.path)
    except BackupError as exc:
        print(f"fotfeste backup: {exc}")
        return 1
    print(f"backup written to {summary.path}: {_describe(summary)}; integrity ok")
    return 0


def add_restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="a file written by `fotfeste backup`")


def run_restore(args: argparse.Namespace, settings: Settings) -> int:
    if _postgresql("restore", settings):
        return 2
    try:
        summary, kept = restore(args.path, settings.database_path, now=SystemClock().now())
    except BackupError as exc:
        print(f"fotfeste restore: {exc}")
        return 1
    print(f"restored {settings.database_path} from {args.path}: {_describe(summary)}")
    if kept is not None:
        print(f"the previous database is kept as {kept} (delete it when you are sure)")
    return 0
