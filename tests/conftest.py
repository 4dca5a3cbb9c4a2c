"""Shared fixtures: a real Fotfeste server on a free loopback port, over real HTTP and SQLite."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from fotfeste.app import create_app
from fotfeste.clock import FixedClock
from fotfeste.settings import RateLimit, Settings
from fotfeste.web.proxy import ForwardedFor
from tests import engine

# A Monday at noon in Stockholm: far from DST changes unless a test moves it.
DEFAULT_NOW = datetime(2026, 3, 16, 11, 0, tzinfo=UTC)
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@dataclass
class LiveServer:
    url: str
    settings: Settings
    clock: FixedClock
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def database_path(self) -> Path:
        return self.settings.database_path

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for tests: generous rate limits so one loopback client can create many accounts."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "demo": False,
        "rate_account_create": RateLimit(100_000, 60),
        "rate_recover": RateLimit(100_000, 60),
        "rate_public": RateLimit(100_000, 60),
        "push_hosts": ("127.0.0.1:*",),  # any port: the fake push services listen anywhere
        "rate_clinic_link": RateLimit(100_000, 60),
        "rate_clinic_link_account": RateLimit(100_000, 60),
        # Staff outcomes with next to no noise, so tests can check who is counted and what is
        # suppressed; tests/api/test_outcomes_privacy.py runs the shipped ε.
        "outcomes_epsilon": 1e6,
    }
    url = engine.database_url(data_dir)
    if url is not None:
        values["database_url"] = url
    values.update(overrides)
    return Settings(**values)


def start_server(settings: Settings, clock: FixedClock | None = None) -> LiveServer:
    clock = clock or FixedClock(DEFAULT_NOW)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # X-Forwarded-For from 127.0.0.1 is trusted, as `fotfeste serve` does: tests present client
    # addresses through it.
    config = uvicorn.Config(
        ForwardedFor(create_app(settings, clock=clock), "127.0.0.1"),
        log_level="warning",
        access_log=False,
        lifespan="on",
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        if not thread.is_alive():
            raise RuntimeError("the test server failed to start")
        threading.Event().wait(0.01)
    else:
        raise RuntimeError("the test server did not start in 5 s")
    return LiveServer(f"http://127.0.0.1:{port}", settings, clock, server, thread)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=engine.ENGINES,
        default="sqlite",
        help="the engine behind the test servers (postgresql: a throwaway cluster)",
    )


def pytest_configure(config: pytest.Config) -> None:
    engine.engine = config.getoption("--database")


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
