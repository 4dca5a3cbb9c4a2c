"""The Database: migrations apply once, in order, and a failing one leaves nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import psycopg_pool
import pytest

from fotfeste.clock import FixedClock
from fotfeste.db import Conn, Database, MigrationError
from fotfeste.db_postgres import gone

CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))


async def _open(tmp_path: Path) -> Database:
    db = Database(tmp_path / "t.sqlite3", readers=2)
    await db.connect()
    return db


async def test_migrations_apply_once_and_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE a (x INTEGER) STRICT;")
    (folder / "0002_b.sql").write_text("INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);")
    db = await _open(tmp_path)
    try:
        assert await db.migrate(CLOCK, folder) == ["0001_a.sql", "0002_b.sql"]
        assert await db.migrate(CLOCK, folder) == []
        assert await db.fetchval("SELECT count(*) FROM a") == 2
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
    finally:
        await db.close()


async def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE a (x INTEGER) STRICT;")
    (folder / "0002_bad.sql").write_text(
        "INSERT INTO a VALUES (1); INSERT INTO missing VALUES (1);"
    )
    db = await _open(tmp_path)
    try:
        with pytest.raises(MigrationError, match="0002_bad"):
            await db.migrate(CLOCK, folder)
        assert await db.fetchval("SELECT count(*) FROM a") == 0
        assert await db.fetchval("SELECT max(version) FROM schema_migrations") == 1
    finally:
        await db.close()


async def test_misnamed_or_duplicate_migrations_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("SELECT 1;")
    (folder / "0001_b.sql").write_text("SELECT 1;")
    db = await _open(tmp_path)
    try:
        with pytest.raises(MigrationError, match="share number"):
            await db.migrate(CLOCK, folder)
    finally:
        await db.close()


async def test_a_write_rolls_back_on_error(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    try:

        def create(conn: Conn) -> None:
            conn.execute("CREATE TABLE t (x INTEGER)")

        def failing(conn: Conn) -> None:
            conn.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")

        await db.write(create)
        with pytest.raises(RuntimeError):
            await db.write(failing)
        with pytest.raises(RuntimeError):
            await db.write(failing, long=True)
        assert await db.fetchval("SELECT count(*) FROM t") == 0
    finally:
        await db.close()


def test_only_errors_without_a_live_server_mark_postgresql_down() -> None:
    # All of these answer 503 (try again); only a server that is gone makes the following reads
    # give up on the pool after half a second (db_postgres.PostgresDatabase._lost).
    assert gone(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert gone(psycopg.InterfaceError("the connection is closed"))
    assert gone(psycopg_pool.PoolTimeout("couldn't get a connection after 5.00 sec"))
    assert gone(psycopg.errors.AdminShutdown())  # 57P01: a restart
    assert gone(psycopg.errors.CannotConnectNow())  # 57P03: still starting
    assert gone(psycopg.errors.ConnectionFailure())  # 08006
    assert not gone(psycopg.errors.DeadlockDetected())  # 40P01: the server is up
    assert not gone(psycopg.errors.SerializationFailure())
    assert not gone(psycopg.errors.QueryCanceled())  # 57014: a statement timeout
