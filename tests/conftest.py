"""Shared fixtures: a real Fotfeste server on a free loopback port, over real HTTP and SQLite.

How servers start lives in tests/server.py (shared with the benchmarks); this file only makes
fixtures of it: `live_server` (one per session), `server_factory` (one per test, own settings),
`clock`, `http`, and `db` (a migrated Database of its own, for tests of store functions).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fotfeste.clock import FixedClock
from fotfeste.db import Database
from tests import engine
from tests.server import (  # noqa: F401 - re-exported: test modules import them from here
    DEFAULT_NOW,
    LiveServer,
    make_settings,
    open_database,
    start_server,
    wait_until,
)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=engine.ENGINES,
        default="sqlite",
        help="the engine behind the test servers (postgresql: a throwaway cluster)",
    )


def pytest_configure(config: pytest.Config) -> None:
    engine.engine = config.getoption("--database")


# The longest test files (measured with --durations, 2 cores): under pytest-xdist they are handed
# out first, so none of them starts last and runs alone while the other processes sit idle.
LONGEST_FIRST = (
    "test_push_worker.py",
    "test_push_restart.py",
    "test_schemathesis.py",
    "test_lighthouse.py",
    "test_crash.py",
    "test_several_processes.py",
)


def _longest_first(item: pytest.Item) -> int:
    name = item.path.name
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.sqlite_only("why")`: tests of SQLite itself, skipped on another engine."""
    if hasattr(config, "workerinput"):  # an xdist worker: the same order in every worker
        items.sort(key=_longest_first)  # stable: files and tests keep their order otherwise
    if engine.engine == "sqlite":
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


def pytest_unconfigure(config: pytest.Config) -> None:
    engine.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session. Tests that move its clock use the `clock` fixture."""
    server = start_server(make_settings(tmp_path_factory.mktemp("live")))
    yield server
    server.stop()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start a server with its own data dir and settings (e.g. strict rate limits)."""
    started: list[LiveServer] = []

    def make(
        clock: FixedClock | None = None, data_dir: Path | None = None, **overrides: Any
    ) -> LiveServer:
        settings = make_settings(data_dir or tmp_path / f"server{len(started)}", **overrides)
        server = start_server(settings, clock)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def clock(live_server: LiveServer) -> Iterator[FixedClock]:
    """The live server's clock, put back to DEFAULT_NOW after the test."""
    yield live_server.clock
    live_server.clock.set(DEFAULT_NOW)


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        yield client


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database of its own (no server), for tests that call store functions."""
    database = open_database(make_settings(tmp_path / "db"))
    await database.connect()
    await database.migrate(FixedClock(DEFAULT_NOW))
    yield database
    await database.close()
