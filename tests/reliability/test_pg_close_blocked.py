"""Closing a PostgreSQL Database whose writer waits on a lock another session holds ends in
bounded time (the waiting statement is cancelled and its caller told), instead of hanging the
shutdown or a test's teardown for as long as the lock is held."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import psycopg
import pytest

from fotfeste.db import Conn, Unavailable
from fotfeste.db_postgres import _CLOSE_SECONDS
from tests import engine
from tests.server import DatabaseSession, make_settings, wait_until


def _touch_accounts(conn: Conn) -> int:
    return int(conn.execute("UPDATE accounts SET locale = 'sv'").rowcount)


@pytest.mark.skipif(engine.engine != "postgresql", reason="PostgreSQL's writer thread")
def test_close_cancels_a_writer_blocked_on_a_lock(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "db")
    assert settings.database_url is not None
    session = DatabaseSession(settings)
    with psycopg.connect(settings.database_url) as holder:
        holder.execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")  # in its transaction
        waiting = asyncio.run_coroutine_threadsafe(session.db.write(_touch_accounts), session.loop)

        def blocked() -> bool:
            with psycopg.connect(settings.database_url or "", autocommit=True) as look:
                row = look.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                ).fetchone()
            return bool(row and row[0] > 0)

        wait_until(blocked, 20, what="the writer waits on the lock")
        started = time.monotonic()
        session.close()
        took = time.monotonic() - started
        with pytest.raises(Unavailable):
            waiting.result(timeout=1)
        holder.rollback()
    assert took < 2 * _CLOSE_SECONDS + 5, f"closing took {took:.1f} s"
