"""Group commit (Database.write): concurrent writes share a transaction; a bad one fails alone."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fotfeste.clock import FixedClock
from fotfeste.db import Conn, Database, IntegrityError


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "test.sqlite3", readers=2)
    await database.connect()
    await database.migrate(FixedClock(datetime(2026, 3, 16, tzinfo=UTC)))
    await database.write(_create_kv)
    yield database
    await database.close()


def _create_kv(conn: Conn) -> None:
    conn.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL) STRICT")


def insert(k: str, v: int | None) -> Callable[[Conn], str]:
    def unit(conn: Conn) -> str:
        conn.execute("INSERT INTO kv (k, v) VALUES (?, ?)", (k, v))
        return k

    return unit


async def test_concurrent_writes_commit_and_a_bad_one_fails_alone(db: Database) -> None:
    units = [insert(f"k{i}", None if i == 7 else i) for i in range(50)]
    results = await asyncio.gather(*(db.write(u) for u in units), return_exceptions=True)
    assert isinstance(results[7], IntegrityError)
    assert [r for i, r in enumerate(results) if i != 7] == [f"k{i}" for i in range(50) if i != 7]
    rows = await db.fetchall("SELECT k FROM kv ORDER BY v")
    assert [r[0] for r in rows] == [f"k{i}" for i in range(50) if i != 7]


async def test_a_failing_unit_leaves_no_partial_write(db: Database) -> None:
    def half_then_fail(conn: Conn) -> None:
        conn.execute("INSERT INTO kv (k, v) VALUES ('half', 1)")
        raise ValueError("changed my mind")

    first, second = await asyncio.gather(
        db.write(half_then_fail), db.write(insert("whole", 2)), return_exceptions=True
    )
    assert isinstance(first, ValueError) and second == "whole"
    assert [r[0] for r in await db.fetchall("SELECT k FROM kv")] == ["whole"]


async def test_short_and_long_writes_interleave(db: Database) -> None:
    await asyncio.gather(
        *(db.write(insert(f"w{i}", i)) for i in range(20)),
        *(db.write(insert(f"t{i}", i), long=True) for i in range(20)),
    )
    assert await db.fetchval("SELECT count(*) FROM kv") == 40


async def test_a_long_write_leaves_the_loop_free_and_fails_alone(db: Database) -> None:
    started = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow(conn: Conn) -> None:
        loop.call_soon_threadsafe(started.set)
        conn.execute("INSERT INTO kv (k, v) VALUES ('slow', 1)")
        # A statement that takes a while: the loop must keep turning meanwhile.
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)"
            " SELECT count(*) FROM n"
        ).fetchone()
        raise ValueError("changed my mind")

    task = asyncio.create_task(db.write(slow, long=True))
    await started.wait()
    assert not task.done()  # the loop runs this line while the long write is under way
    with pytest.raises(ValueError, match="changed my mind"):
        await task
    assert await db.write(insert("after", 2)) == "after"
    assert [r[0] for r in await db.fetchall("SELECT k FROM kv")] == ["after"]


async def test_an_async_write_function_is_refused(db: Database) -> None:
    async def not_plain(conn: Conn) -> None:
        conn.execute("INSERT INTO kv (k, v) VALUES ('never', 1)")

    with pytest.raises(TypeError, match="plain functions"):
        await db.write(not_plain)  # type: ignore[arg-type]
    assert await db.fetchval("SELECT count(*) FROM kv") == 0


async def test_acknowledged_writes_are_visible_to_other_connections(
    db: Database, tmp_path: Path
) -> None:
    await asyncio.gather(*(db.write(insert(f"a{i}", i)) for i in range(10)))
    with sqlite3.connect(tmp_path / "test.sqlite3") as other:
        assert other.execute("SELECT count(*) FROM kv").fetchone()[0] == 10


async def test_without_group_commit_each_write_is_its_own_transaction(tmp_path: Path) -> None:
    database = Database(tmp_path / "single.sqlite3", readers=1, group_commit=False)
    await database.connect()
    try:
        await database.write(_create_kv)
        results = await asyncio.gather(
            *(database.write(insert(f"k{i}", None if i == 3 else i)) for i in range(8)),
            return_exceptions=True,
        )
        assert isinstance(results[3], IntegrityError)
        assert await database.fetchval("SELECT count(*) FROM kv") == 7
    finally:
        await database.close()


async def test_write_waits_for_another_process_without_blocking_the_loop(
    db: Database, tmp_path: Path
) -> None:
    other = sqlite3.connect(tmp_path / "test.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds SQLite's write lock
    try:
        write = asyncio.create_task(db.write(insert("late", 1)))
        ticks = 0
        for _ in range(10):
            await asyncio.sleep(0.01)
            ticks += 1  # the loop keeps turning while the write waits
        assert not write.done()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await write == "late" and ticks == 10
    assert await db.fetchval("SELECT v FROM kv WHERE k = 'late'") == 1


async def test_background_checkpoint_keeps_the_wal_small(db: Database, tmp_path: Path) -> None:
    for start in range(0, 2400, 200):
        await asyncio.gather(*(db.write(insert(f"c{i}", i)) for i in range(start, start + 200)))
    await asyncio.sleep(0.2)
    with sqlite3.connect(tmp_path / "test.sqlite3") as other:
        assert other.execute("SELECT count(*) FROM kv").fetchone()[0] == 2400
        busy, frames, checkpointed = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and checkpointed == frames
