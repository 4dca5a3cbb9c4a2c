"""Tests that run both engines side by side: a SQLite file and a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fotfeste.clock import FixedClock
from fotfeste.db import Database
from fotfeste.pgcluster import ClusterError, find_bindir
from tests import engine

CLOCK = FixedClock(datetime(2026, 3, 16, 11, 0, tzinfo=UTC))

try:
    find_bindir()
except ClusterError as missing:  # CI installs it (.ci/run); a laptop may not have it
    pytest.skip(f"PostgreSQL: {missing}", allow_module_level=True)


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(tmp_path / "engines.sqlite3", readers=2)
    await db.connect()
    await db.migrate(CLOCK)
    yield db
    await db.close()


@pytest.fixture
async def postgresql_db() -> AsyncIterator[Database]:
    from fotfeste.db_postgres import PostgresDatabase

    db = PostgresDatabase(engine.new_postgresql_database(migrated=False), readers=2)
    await db.connect()
    await db.migrate(CLOCK)
    yield db  # type: ignore[misc]
    await db.close()
