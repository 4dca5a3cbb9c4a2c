"""The one way tests and benchmarks start Fotfeste: in this process, or as a real `fotfeste serve`.

- `start_server(settings, clock)`: the app under uvicorn in a thread of this process, with a
  FixedClock the test drives; `LiveServer.run(coro)` runs code on the server's own event loop
  (its database lives there), so a test never opens a second writer on a live database.
- `ServerProcess`: `fotfeste serve` in a subprocess (uvloop, httptools, as deployed), for what only
  a real process shows: SIGKILL, restarts, CPU time, load.
- `database_settings` / `database_env`: THE place that chooses a test's database. Every test
  server, the `db` fixture and every `ServerProcess` take their database from here.
- `database_session(settings)`: that database opened by a test itself (a stopped server's, a
  CLI's, a `ServerProcess`'s), on either engine; a running LiveServer has `query`/`execute`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn

from fotfeste import db as fotfeste_db
from fotfeste.app import create_app
from fotfeste.clock import FixedClock
from fotfeste.db import Conn, Database
from fotfeste.settings import RateLimit, Settings, settings_from_env
from fotfeste.web.proxy import ForwardedFor
from tests import engine

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # test and benchmark servers listen on loopback only
# A Monday at noon in Stockholm: far from DST changes unless a test moves it.
DEFAULT_NOW = datetime(2026, 3, 16, 11, 0, tzinfo=UTC)


# --- the database engine: one seam ---------------------------------------------------------


def database_settings(data_dir: Path) -> dict[str, Any]:
    """Settings that say where a new test server keeps its database (called once per server).

    Today: a SQLite file in `data_dir` (Settings.database_path). To run the suites on another
    engine (issue 19), add it here, e.g. `url = engine.database_url(data_dir)` and, when it is
    not None, `values["database_url"] = url`; `make_settings` (in-process servers and the `db`
    fixture) and `ServerProcess` (as FOTFESTE_* variables, see `database_env`) all follow.
    """
    values: dict[str, Any] = {"data_dir": data_dir}
    url = engine.database_url(data_dir)  # None for SQLite; kept per data dir across restarts
    if url is not None:
        values["database_url"] = url
    return values


def database_env(data_dir: Path) -> dict[str, str]:
    """`database_settings` as the FOTFESTE_* variables `fotfeste serve` reads."""
    return {
        f"FOTFESTE_{key.upper()}": str(value) for key, value in database_settings(data_dir).items()
    }


def open_database(settings: Settings) -> Database:
    """A (not yet connected) Database for these settings, as the app would open it."""
    return fotfeste_db.open_database(settings, readers=2)


class DatabaseSession:
    """A Database of its own on these settings, on an event loop in a thread of its own: for a
    stopped server's data, a CLI's, or a `fotfeste serve` subprocess's, on either engine.

    (An in-process LiveServer has `query`/`execute` through its own Database instead.)
    """

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.db = open_database(settings)
        try:
            self.run(self.db.connect())
        except BaseException:
            self._stop_loop()
            raise

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.run(self.db.fetchall(sql, params))]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        # long=True: in the writer thread, waiting patiently if another process writes.
        return self.run(self.db.write(_statement(sql, params), long=True))

    def close(self) -> None:
        try:
            self.run(self.db.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


@contextlib.contextmanager
def database_session(settings: Settings) -> Iterator[DatabaseSession]:
    """`with database_session(settings) as db: db.query(...)`: opened, and closed on the way out."""
    session = DatabaseSession(settings)
    try:
        yield session
    finally:
        session.close()


def _statement(sql: str, params: Sequence[Any]) -> Any:
    def unit(conn: Conn) -> int:
        return int(conn.execute(sql, params).rowcount)

    return unit


# --- in-process servers --------------------------------------------------------------------


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for tests: generous rate limits so one loopback client can create many accounts."""
    values: dict[str, Any] = {
        **database_settings(data_dir),
        "demo": False,
        "rate_account_create": RateLimit(100_000, 60),
        "rate_recover": RateLimit(100_000, 60),
        "rate_public": RateLimit(100_000, 60),
        "push_hosts": ("127.0.0.1:*",),  # any port: the fake push services listen anywhere
        "rate_clinic_link": RateLimit(100_000, 60),
        "rate_clinic_link_account": RateLimit(100_000, 60),
        "rate_staff_login": RateLimit(100_000, 60),
        # Staff outcomes with next to no noise, so tests can check who is counted and what is
        # suppressed; tests/api/test_outcomes_privacy.py runs the shipped ε.
        "outcomes_epsilon": 1e6,
    }
    values.update(overrides)
    return Settings(**values)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until(check: Any, seconds: float = 10, every: float = 0.02, what: str = "") -> Any:
    """Poll `check()` until it returns something truthy (returned) or `seconds` pass (fails)."""
    deadline = time.monotonic() + seconds
    while True:
        if value := check():
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what or check}")
        time.sleep(every)


@dataclass
class LiveServer:
    """The app under uvicorn in a thread of this process."""

    url: str
    settings: Settings
    clock: FixedClock
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def database_path(self) -> Path:
        return self.settings.database_path

    @property
    def state(self) -> Any:
        """The app's state (its database, push service…), for tests that look inside."""
        app = self._server.config.app
        while not hasattr(app, "state"):  # unwrap ASGI wrappers (ForwardedFor)
            app = app.app
        return app.state

    def shared(self, name: str) -> Any:
        """One of the app's shared objects ("db", "push", "settings"…)."""
        try:  # the typed accessor of issue 18.9, where it has landed
            from fotfeste.web.state import shared  # type: ignore[import-not-found]
        except ImportError:
            return self.state[name]
        return getattr(shared(self.state), name)

    @property
    def db(self) -> Database:
        """The server's own Database: use it only through `run`, on the server's loop."""
        database: Database = self.shared("db")
        return database

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        """Run a coroutine on the server's own event loop (its database lives there)."""
        loop = self.shared("push").loop
        assert loop is not None, "the server's loop is not running"
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Write SQL through the server's own writer (data no API would accept, e.g. rows an
        older version stored): never a second connection writing under a running server."""

        return self.run(self.db.write(_statement(sql, params)))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read through the server's own Database (whatever engine it runs on)."""
        rows = self.run(self.db.fetchall(sql, params))
        return [tuple(row) for row in rows]

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def start_server(
    settings: Settings, clock: FixedClock | None = None, *, log_level: str = "warning"
) -> LiveServer:
    """Start the app in a thread on a free loopback port; returns once it answers."""
    clock = clock or FixedClock(DEFAULT_NOW)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    # X-Forwarded-For from 127.0.0.1 is trusted, as `fotfeste serve` does: tests present client
    # addresses through it.
    config = uvicorn.Config(
        ForwardedFor(create_app(settings, clock=clock), HOST),
        log_level=log_level,
        access_log=False,
        lifespan="on",
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server failed to start")
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start in 30 s")
        time.sleep(0.01)
    return LiveServer(f"http://{HOST}:{port}", settings, clock, server, thread)


@contextlib.contextmanager
def running(settings: Settings, clock: FixedClock | None = None) -> Iterator[LiveServer]:
    """`start_server` as a context manager (benchmarks): stopped on the way out."""
    server = start_server(settings, clock, log_level="error")
    try:
        yield server
    finally:
        server.stop()


# --- `fotfeste serve` in a subprocess -----------------------------------------------------

# Generous limits: one loopback client stands for thousands of people here.
TEST_ENV = {
    "FOTFESTE_DEMO": "0",
    "FOTFESTE_RATE_ACCOUNT_CREATE": "1000000/60",
    "FOTFESTE_RATE_RECOVER": "1000000/60",
    "FOTFESTE_RATE_PUBLIC": "1000000/60",
    "FOTFESTE_RATE_STAFF_LOGIN": "1000000/60",
    # One account writes thousands of times here; the per-account quotas are not measured.
    "FOTFESTE_QUOTA_WRITES_MINUTE": "100000000/60",
    "FOTFESTE_QUOTA_WRITES_HOUR": "100000000/3600",
    "FOTFESTE_MAX_RESPONSES_PER_DAY": "100000000",
    "FOTFESTE_LOG_LEVEL": "WARNING",
    "FOTFESTE_PUSH_HOSTS": "127.0.0.1:*",  # any port: fake push services listen anywhere
}


@dataclass
class ServerProcess:
    """`fotfeste serve` on a free port with its data in `data_dir`: start, SIGKILL, restart."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    args: tuple[str, ...] = ()  # more `fotfeste serve` arguments, e.g. ("--workers", "2")
    process: subprocess.Popen[bytes] | None = None
    name: str = "fotfeste"
    # What to run (with `--port N` appended) and the path that answers 200 once it is up: the
    # benchmarks' bare Litestar baseline runs through here too.
    argv: tuple[str, ...] = ("-m", "fotfeste", "serve", "--host", HOST)
    health: str = "/api/health"
    database: dict[str, str] | None = None  # FOTFESTE_* variables naming its database

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "fotfeste.sqlite3"

    @property
    def settings(self) -> Settings:
        """The settings `fotfeste serve` reads from its environment (its database included)."""
        if self.database is None:  # chosen once: a restart finds the same database
            self.database = database_env(self.data_dir)
        environ: Mapping[str, str] = {**TEST_ENV, **self.database, **self.env}
        return settings_from_env(environ)

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}-server.log"

    def start(self, timeout: float = 90) -> ServerProcess:
        # Generous: on a busy shared machine importing the app alone has taken over 30 s.
        if self.database is None:  # chosen once: a restart finds the same database
            self.database = database_env(self.data_dir)
        env = {**os.environ, **TEST_ENV, **self.database, **self.env}
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, *self.argv, "--port", str(self.port), *self.args],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}: see {self.log_path}"
                )
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(self.url + self.health, timeout=1).status_code == 200:
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {self.health} in {timeout} s")

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no checkpoint, no flush — as a crash or the OOM killer would."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def kill(self) -> None:
        """`kill9` if it is still running (so what is on disk is what was committed)."""
        if self.process is not None:
            self.kill9()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def cpu_seconds(self) -> float:
        """CPU time the server process (all its threads) has used so far."""
        return cpu_seconds(self.pid)


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system, all threads) a live process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The live child processes of a process, whichever of its threads started them."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found
