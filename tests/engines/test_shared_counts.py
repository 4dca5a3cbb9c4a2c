"""Counts read and then written (shared rate limits, staff log-in failures) stay exact when many
attempts arrive at once through several processes' connections, on both engines.

Each process is a Database of its own on the same SQLite file or PostgreSQL database, with its
own writer and group commit: what `fotfeste serve` runs in each of several app processes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from fotfeste.db import Conn, Database
from fotfeste.settings import RateLimit
from fotfeste.staff import user_store as staff_users
from fotfeste.staff.logic import MAX_FAILED_LOGINS
from fotfeste.staff.unknown import UnknownAddresses
from fotfeste.web.shared_limits import SharedLimits
from tests import engine
from tests.engines.conftest import CLOCK
from tests.server import ServerProcess

PROCESSES = 4
Open = Callable[[], Awaitable[Database]]


@pytest.fixture(params=engine.ENGINES)
async def processes(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Open]:
    """Opens another "process" on one migrated database of the parametrised engine."""
    opened: list[Any] = []
    if request.param == "sqlite":
        path = tmp_path / "shared.sqlite3"

        def make() -> Any:
            return Database(path, readers=1)
    else:
        from fotfeste.db_postgres import PostgresDatabase

        url = engine.new_postgresql_database()

        def make() -> Any:
            return PostgresDatabase(url, readers=1)

    async def open_one() -> Database:
        db = make()
        await db.connect()
        opened.append(db)
        if len(opened) == 1:
            await db.migrate(CLOCK)
        return db  # type: ignore[no-any-return]

    yield open_one
    for db in opened:
        await db.close()


async def test_a_shared_limit_lets_exactly_its_count_through(processes: Open) -> None:
    limit = RateLimit(5, 3600)
    dbs = [await processes() for _ in range(PROCESSES)]
    limits = [SharedLimits(db, CLOCK, {"recover": limit}) for db in dbs]
    # Every process makes the database's hashing key first, so the guesses below start together.
    for one in limits:
        await one._client_hash("warm-up")
    attempts = [one.hit("recover", "203.0.113.9") for _ in range(10) for one in limits]
    waits = await asyncio.gather(*attempts)
    assert sum(wait is None for wait in waits) == limit.requests
    # And the count stays shared afterwards: every process now refuses this client.
    for one in limits:
        assert await one.hit("recover", "203.0.113.9") is not None


async def test_limits_of_many_clients_at_once_in_two_processes_never_deadlock(
    processes: Open,
) -> None:
    """Each process counts the same clients, in opposite orders, at the same moment: a group
    commit holding one client's lock while waiting for another's would deadlock (503s)."""
    first, second = await processes(), await processes()
    limits = [SharedLimits(db, CLOCK, {"recover": RateLimit(100, 3600)}) for db in (first, second)]
    for one in limits:
        await one._client_hash("warm-up")
    for round_ in range(10):
        clients = [f"198.51.100.{round_}:{n}" for n in range(8)]
        attempts = [limits[0].hit("recover", client) for client in clients]
        attempts += [limits[1].hit("recover", client) for client in reversed(clients)]
        assert await asyncio.gather(*attempts) == [None] * 16


def _staff_user(conn: Conn) -> None:
    conn.execute("INSERT INTO clinics (id, name, created_at) VALUES ('c', 'Kliniken', 'x')")
    conn.execute(
        "INSERT INTO staff_users (id, clinic_id, email, password_hash, created_at)"
        " VALUES ('u', 'c', 'a@example.org', 'h', 'x')"
    )


async def test_concurrent_wrong_passwords_each_count_towards_the_lockout(
    processes: Open,
) -> None:
    dbs = [await processes() for _ in range(PROCESSES)]
    await dbs[0].write(_staff_user)
    now = CLOCK.now()
    # As many guesses as the limit, at the same moment, spread over the processes: each counts,
    # so the last of them locks the user (lost updates would leave the user unlocked).
    guesses = [
        staff_users.record_login_failure(dbs[i % PROCESSES], "u", now)
        for i in range(MAX_FAILED_LOGINS)
    ]
    locked = await asyncio.gather(*guesses)
    assert locked.count(True) == 1
    row = await dbs[0].fetchone("SELECT failed_logins, locked_until FROM staff_users")
    assert row["failed_logins"] == 0
    assert row["locked_until"] is not None
    audits = await dbs[0].fetchval("SELECT count(*) FROM staff_audit WHERE action = 'login.locked'")
    assert audits == 1


async def test_concurrent_wrong_passwords_for_an_unknown_address_lock_it_alike(
    processes: Open,
) -> None:
    dbs = [await processes() for _ in range(PROCESSES)]
    counters = [UnknownAddresses() for _ in dbs]
    now = CLOCK.now()
    guesses = [
        counters[i % PROCESSES].fail(dbs[i % PROCESSES], "nobody@example.org", now)
        for i in range(MAX_FAILED_LOGINS)
    ]
    assert (await asyncio.gather(*guesses)).count(True) == 1
    assert await counters[0].locked(dbs[0], "nobody@example.org", now)


@pytest.mark.parametrize("engine_name", engine.ENGINES)
def test_guesses_fired_at_once_at_two_serve_processes_meet_one_limit(
    engine_name: str, tmp_path: Path
) -> None:
    """The same over HTTP: two `fotfeste serve` on one database, 24 recovery guesses at once."""
    data_dir = tmp_path / "shared"
    if engine_name == "postgresql":
        database = {
            "FOTFESTE_DATA_DIR": str(data_dir),
            "FOTFESTE_DATABASE_URL": engine.new_postgresql_database(),
        }
    else:
        database = {"FOTFESTE_DATA_DIR": str(data_dir)}
    env = {"FOTFESTE_RATE_RECOVER": "5/900"}
    servers = [ServerProcess(data_dir, env=env, database=database) for _ in range(2)]
    try:
        for server in servers:
            server.start(timeout=120)  # one after the other: the first migrates a SQLite file
        go = threading.Barrier(24)

        def guess(n: int) -> int:
            body = {"recovery_code": f"{n:04d}-0000-0000-0000-0000-0000"}
            with httpx.Client(base_url=servers[n % 2].url, timeout=60) as client:
                go.wait()
                return client.post("/api/accounts/recover", json=body).status_code

        with ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(guess, range(24)))
    finally:
        for server in servers:
            server.stop()
    assert sorted(answers) == [401] * 5 + [429] * 19
