"""`fotfeste migrate` started by several processes at the same moment on a fresh database (two
hosts deploying at once, or two `serve`s): every one succeeds, each migration is applied once."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fotfeste.db import Database
from fotfeste.db_sqlite import MIGRATIONS_DIR, migration_files
from tests import engine
from tests.engines.conftest import CLOCK
from tests.server import ROOT, TEST_ENV, database_env

PROCESSES = 3
# Each process imports the CLI first and then waits for the same instant, so the migrations
# themselves start together (Python's start-up alone varies by more than a migration run takes).
_AT_ONCE = (
    "import sys, time; from fotfeste.cli import main;"
    " time.sleep(max(0.0, float(sys.argv[1]) - time.time())); sys.exit(main(['migrate']))"
)


@pytest.mark.parametrize("engine_name", engine.ENGINES)
def test_migrations_started_at_once_are_each_applied_once(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if engine_name == "postgresql":
        database = {"FOTFESTE_DATABASE_URL": engine.new_postgresql_database(migrated=False)}
    else:
        monkeypatch.setattr(engine, "engine", "sqlite")
        database = database_env(data_dir)
    env = {**os.environ, **TEST_ENV, **database, "PYTHONPATH": str(ROOT / "server")}
    start_at = time.time() + 8  # importing the app under a busy machine takes seconds
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _AT_ONCE, str(start_at)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(PROCESSES)
    ]
    outputs = [process.communicate(timeout=120)[0].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * PROCESSES, outputs
    expected = [version for version, _, _ in migration_files(MIGRATIONS_DIR)]
    # Each migration was applied by exactly one of them: the counts they print add up.
    applied = [int(out.split(" migration(s) applied")[0].split()[-1]) for out in outputs]
    assert sum(applied) == len(expected), outputs
    assert _recorded(engine_name, data_dir, database) == expected


def _recorded(engine_name: str, data_dir: Path, database: dict[str, str]) -> list[int]:
    if engine_name == "postgresql":
        import psycopg

        with psycopg.connect(database["FOTFESTE_DATABASE_URL"]) as conn:
            rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version")
            return [row[0] for row in rows]
    with sqlite3.connect(data_dir / "fotfeste.sqlite3") as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version")
        return [row[0] for row in rows]


_SLOW = (
    "CREATE TABLE slow AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
    " WHERE x < 2000000) SELECT x FROM n;\n"
)


@pytest.mark.parametrize("engine_name", engine.ENGINES)
async def test_a_runner_that_read_the_list_before_a_slow_migration_ended_skips_it(
    engine_name: str, tmp_path: Path
) -> None:
    """The race made certain: the second runner reads what is applied while the first is inside
    a long migration, then must not apply that migration again once it gets its turn."""
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0001_slow.sql").write_text(_SLOW)
    (directory / "0002_quick.sql").write_text("CREATE TABLE quick (x INTEGER);\n")
    first, second, busy = _two_runners(engine_name, tmp_path)
    await first.connect()
    try:
        running = asyncio.create_task(first.migrate(CLOCK, directory))
        deadline = time.monotonic() + 30
        while not busy():
            assert time.monotonic() < deadline and not running.done(), "never saw it running"
            await asyncio.sleep(0.01)
        await second.connect()  # a process starting now, its connections fresh
        late = await second.migrate(CLOCK, directory)
        early = await running
    finally:
        await first.close()
        await second.close()
    assert sorted(early + late) == ["0001_slow.sql", "0002_quick.sql"]


def _two_runners(engine_name: str, tmp_path: Path) -> tuple[Any, Any, Callable[[], bool]]:
    """Two Databases (processes) on one fresh database, and "is a migration running now?"."""
    if engine_name == "postgresql":
        import psycopg

        from fotfeste.db_postgres import PostgresDatabase

        url = engine.new_postgresql_database(migrated=False)

        def running() -> bool:
            with psycopg.connect(url) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                    " AND query LIKE '%%RECURSIVE%%' AND pid <> pg_backend_pid()"
                ).fetchone()
                return row is not None and row[0] > 0

        return PostgresDatabase(url, readers=1), PostgresDatabase(url, readers=1), running
    path = tmp_path / "race.sqlite3"

    def locked() -> bool:
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()

    return Database(path, readers=1), Database(path, readers=1), locked
