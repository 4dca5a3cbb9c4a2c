"""PostgreSQL lost, and a write is the first to find out: the reads that follow are told at once
(Unavailable, the API's 503), as when a read found out first, instead of each waiting the normal
pool wait for a connection that cannot come; and once a write succeeds again, reads wait for the
pool to reconnect instead of being turned away while the server is back.

PostgreSQL only by nature: the test stops a cluster of its own (tests/reliability/pg_control.py).
It drives the store itself, as test_pg_close_blocked.py does: which reads find an idle connection
and which queue for one is decided inside one event loop, where a burst of HTTP requests would
only sometimes line up so.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from fotfeste.db import Conn, Unavailable
from fotfeste.db_postgres import _POOL_WAIT_DOWN_SECONDS, _POOL_WAIT_SECONDS
from tests import engine
from tests.reliability.pg_control import ControlledCluster
from tests.server import DatabaseSession, make_settings

# More reads at once than the pool has connections: those that find none idle queue for one,
# for as long as the store tells them to.
READERS = 16
# How long PostgreSQL stays down (clients retrying meanwhile): long enough for the pool's
# reconnect attempts to back off well past _POOL_WAIT_DOWN_SECONDS (1 s, 2 s, 4 s…).
DOWN_SECONDS = 3.0


def _insert(conn: Conn) -> int:
    return int(conn.execute("INSERT INTO scratch (v) VALUES (1)").rowcount)


async def _timed_reads(session: DatabaseSession) -> list[tuple[str, float]]:
    """READERS reads started together: each one's outcome ("rows" or "unavailable") and time."""

    async def read() -> tuple[str, float]:
        started = time.monotonic()
        try:
            await session.db.fetchall("SELECT count(*) FROM scratch")
        except Unavailable:
            return "unavailable", time.monotonic() - started
        return "rows", time.monotonic() - started

    return list(await asyncio.gather(*(read() for _ in range(READERS))))


def _write(session: DatabaseSession) -> Any:
    return session.run(session.db.write(_insert))


@pytest.mark.skipif(engine.engine != "postgresql", reason="stops a PostgreSQL server")
def test_a_write_that_finds_postgresql_gone_shortens_the_reads_wait(tmp_path: Path) -> None:
    cluster = ControlledCluster().start()
    try:
        session = DatabaseSession(make_settings(tmp_path / "db", database_url=cluster.url))
        try:
            session.execute("CREATE TABLE scratch (v BIGINT)")
            assert _write(session) == 1
            assert session.query("SELECT count(*) FROM scratch") == [(1,)]

            cluster.pg_stop("fast")
            with pytest.raises(Unavailable):
                _write(session)
            down = session.run(_timed_reads(session))
            until = time.monotonic() + DOWN_SECONDS
            while time.monotonic() < until:  # clients trying again while it is down
                down += session.run(_timed_reads(session))

            cluster.pg_start()
            assert _write(session) == 1  # the writer reconnects on its own
            back = session.run(_timed_reads(session))
        finally:
            session.close()
    finally:
        cluster.stop()
    print("reads after the failed write, slowest:", round(max(took for _, took in down), 2))
    print("reads after the next write:", sorted(round(took, 2) for _, took in back))
    # Marked down, a read waits _POOL_WAIT_DOWN_SECONDS for a connection; not marked, those that
    # find none idle wait the whole _POOL_WAIT_SECONDS. Half of it leaves a busy machine room
    # and still tells the two apart.
    assert _POOL_WAIT_DOWN_SECONDS < _POOL_WAIT_SECONDS / 2
    assert {outcome for outcome, _ in down} == {"unavailable"}
    assert max(took for _, took in down) < _POOL_WAIT_SECONDS / 2, down
    # The write that succeeded marked the server up: the reads waited for the pool's new
    # connections (its reconnect backs off past _POOL_WAIT_DOWN_SECONDS) and were answered.
    assert {outcome for outcome, _ in back} == {"rows"}, back
