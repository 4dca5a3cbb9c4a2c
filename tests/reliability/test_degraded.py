"""A locked database, a full disk: clear 503s with Retry-After, nothing lost, reads answer."""

from __future__ import annotations

import resource
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.server import ServerProcess

pytestmark = pytest.mark.slow


def _sign_up(server: ServerProcess) -> tuple[str, dict[str, str]]:
    made = httpx.post(
        f"{server.url}/api/accounts",
        json={"role": "relative", "locale": "da", "timezone": "Europe/Copenhagen"},
        timeout=30,
    )
    assert made.status_code == 201, made.text
    body = made.json()
    return body["account_id"], {"Authorization": f"Bearer {body['token']}"}


def _assert_busy(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["retry-after"]) > 0
    assert "try again" in answer.json()["detail"]
    assert "Traceback" not in answer.text and "sqlite" not in answer.text.lower()


@contextmanager
def _exclusive_lock(server: ServerProcess) -> Iterator[None]:
    """Another process-level connection holding the write lock (a stuck sqlite3 shell, a backup
    tool doing a VACUUM INTO with a write transaction open, ...)."""
    conn = sqlite3.connect(server.database_path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.mark.sqlite_only("another process holding SQLite's file lock (BEGIN EXCLUSIVE)")
def test_a_locked_database_gives_503_and_keeps_reads(serve: Callable[..., ServerProcess]) -> None:
    server = serve()
    _, headers = _sign_up(server)
    with httpx.Client(base_url=server.url, timeout=30, headers=headers) as client:
        assert client.patch("/api/me", json={"discreet": True}).status_code == 200
        with _exclusive_lock(server):
            _assert_busy(client.patch("/api/me", json={"discreet": False}))
            # Reads do not wait for the writer (WAL): they answer, with the last committed data.
            assert client.get("/api/health").status_code == 200
            me = client.get("/api/me")
            assert me.status_code == 200 and me.json()["discreet"] is True
            # Nothing half-written: the refused change is not there.
        assert client.get("/api/me").json()["discreet"] is True
        # The lock is gone: the same write goes through.
        assert client.patch("/api/me", json={"discreet": False}).json()["discreet"] is False


@pytest.mark.sqlite_only("a full disk for the server's own database files (RLIMIT_FSIZE)")
def test_a_full_disk_gives_503_keeps_reads_and_loses_nothing(
    serve: Callable[..., ServerProcess],
) -> None:
    server = serve()
    account_id, headers = _sign_up(server)
    before = [_sign_up(server) for _ in range(5)]
    # Simulate a full disk for the server process alone: RLIMIT_FSIZE at the current file sizes,
    # so every write that grows a file fails (Python ignores SIGXFSZ; the write gets EFBIG).
    sizes = [p.stat().st_size for p in server.data_dir.glob("fotfeste.sqlite3*")]
    limit = max(sizes)
    infinity = resource.RLIM_INFINITY
    # Only the soft limit: lowering the hard one could not be undone without privileges.
    resource.prlimit(server.pid, resource.RLIMIT_FSIZE, (limit, infinity))
    refused = 0
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for _ in range(30):  # enough new accounts to outgrow the WAL's free pages
                answer = client.post(
                    "/api/accounts", json={"role": "self", "locale": "en", "timezone": "UTC"}
                )
                if answer.status_code == 503:
                    _assert_busy(answer)
                    refused += 1
                else:
                    assert answer.status_code == 201, answer.text
            assert refused > 0, "the simulated full disk never filled"
            assert client.get("/api/health").status_code == 200
            me = client.get("/api/me", headers=headers)
            assert me.status_code == 200 and me.json()["account_id"] == account_id
    finally:
        resource.prlimit(server.pid, resource.RLIMIT_FSIZE, (infinity, infinity))
    # Space is back: writes work again without a restart, and every earlier account is there.
    later_id, _ = _sign_up(server)
    server.kill9()
    server.start()
    conn = sqlite3.connect(server.database_path)
    try:
        stored = {row[0] for row in conn.execute("SELECT id FROM accounts")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert {account_id, later_id, *(a for a, _ in before)} <= stored


@pytest.mark.sqlite_only("another process holding SQLite's file lock (BEGIN EXCLUSIVE)")
def test_reads_answer_while_a_long_write_holds_the_writer(
    serve: Callable[..., ServerProcess],
) -> None:
    server = serve()
    _, headers = _sign_up(server)
    done = threading.Event()
    with _exclusive_lock(server):
        results: list[int] = []

        def write() -> None:
            answer = httpx.patch(
                f"{server.url}/api/me", json={"locale": "sv"}, headers=headers, timeout=30
            )
            results.append(answer.status_code)
            done.set()

        writer = threading.Thread(target=write)
        writer.start()
        # While that write waits for the lock (busy_timeout), reads keep answering.
        for _ in range(5):
            assert httpx.get(f"{server.url}/api/me", headers=headers).status_code == 200
        done.wait(timeout=20)
        writer.join(timeout=20)
    assert results == [503]
