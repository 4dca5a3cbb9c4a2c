"""`fotfeste backup` while the server writes, then `restore`: every acknowledged row is back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from fotfeste.backup import BackupError, backup, in_use, restore, verify
from fotfeste.clock import SystemClock
from tests.api.conftest import Person, sign_up
from tests.conftest import LiveServer
from tests.server import database_env

# `fotfeste backup` and `restore` copy SQLite's file; PostgreSQL is backed up with its own tools
# (deploy/postgresql.md), and the commands say so (tests/engines/test_copy_to.py).
pytestmark = pytest.mark.sqlite_only("backup and restore are SQLite's file tools")


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **database_env(data_dir), "FOTFESTE_DEMO": "0"}
    return subprocess.run(
        [sys.executable, "-m", "fotfeste", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _ids(path: Path, table: str) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        column = "id" if table == "accounts" else "account_id"
        return {row[0] for row in conn.execute(f"SELECT {column} FROM {table}")}
    finally:
        conn.close()


class Writers:
    """Threads that keep creating accounts (two rows each, one transaction) until stopped."""

    def __init__(self, url: str, threads: int = 3) -> None:
        self.url = url
        self.acknowledged: list[Person] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run) for _ in range(threads)]

    def _run(self) -> None:
        while not self._stop.is_set():
            person = sign_up(self.url)
            person.client.close()
            with self._lock:
                self.acknowledged.append(person)

    def snapshot(self) -> list[Person]:
        with self._lock:
            return list(self.acknowledged)

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


def test_backup_while_writing_restores_every_acknowledged_row(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    server = server_factory()
    backup_file = tmp_path / "backups" / "one.sqlite3"
    with Writers(server.url) as writers:
        while len(writers.snapshot()) < 15:
            threading.Event().wait(0.05)
        before = writers.snapshot()
        answer = _cli("backup", str(backup_file), data_dir=server.settings.data_dir)
        during = len(writers.snapshot())
        while len(writers.snapshot()) < during + 5:  # the server kept writing after the copy
            threading.Event().wait(0.05)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "integrity ok" in answer.stdout

    in_backup = _ids(backup_file, "accounts")
    live = _ids(server.database_path, "accounts")
    assert {p.account_id for p in before} <= in_backup  # nothing acknowledged before it is missing
    assert in_backup <= live  # nothing that was never committed
    assert _ids(backup_file, "tokens") == in_backup  # a snapshot: every account with its token
    assert not Path(f"{backup_file}-wal").exists()

    # Restore into a fresh data dir and serve it: every account taken in the backup signs in.
    target = tmp_path / "restored"
    restored = _cli("restore", str(backup_file), data_dir=target)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "restored" in restored.stdout
    again = server_factory(data_dir=target)
    with httpx.Client(base_url=again.url, timeout=10) as client:
        for person in before:
            me = client.get("/api/me", headers={"Authorization": f"Bearer {person.token}"})
            assert me.status_code == 200, me.text
            assert me.json()["account_id"] == person.account_id
    assert _ids(again.database_path, "accounts") == in_backup


def test_restore_refuses_while_the_server_runs(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    server = server_factory()
    sign_up(server.url).client.close()
    copy = backup(server.database_path, tmp_path / "copy.sqlite3")
    assert in_use(server.database_path)
    answer = _cli("restore", str(copy.path), data_dir=server.settings.data_dir)
    assert answer.returncode == 1
    assert "in use" in answer.stdout and "stop the server" in answer.stdout
    # The running server did not notice anything.
    assert httpx.get(f"{server.url}/api/health").status_code == 200


def test_restore_keeps_the_previous_database(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    server = server_factory()
    first = sign_up(server.url)
    first.client.close()
    copy = backup(server.database_path, tmp_path / "copy.sqlite3")
    later = sign_up(server.url)
    later.client.close()
    server.stop()
    summary, kept = restore(copy.path, server.database_path, now=SystemClock().now())
    assert kept is not None and later.account_id in _ids(kept, "accounts")
    assert _ids(server.database_path, "accounts") == {first.account_id}
    assert summary.migration >= 1


def test_backup_refuses_an_existing_file_and_a_missing_database(tmp_path: Path) -> None:
    existing = tmp_path / "there.sqlite3"
    existing.write_bytes(b"")
    with pytest.raises(BackupError, match="no database"):
        backup(tmp_path / "nothing.sqlite3", tmp_path / "new.sqlite3")
    answer = _cli("backup", str(existing), data_dir=tmp_path)
    assert answer.returncode == 1 and "fotfeste backup:" in answer.stdout


def test_restore_refuses_a_damaged_or_foreign_file(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 200)
    answer = _cli("restore", str(garbage), data_dir=tmp_path / "data")
    assert answer.returncode == 1 and "not a readable SQLite database" in answer.stdout

    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="not a Fotfeste database"):
        verify(foreign)
    assert not (tmp_path / "data" / "fotfeste.sqlite3").exists()


def test_restore_refuses_a_backup_from_a_newer_version(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    server = server_factory()
    copy = backup(server.database_path, tmp_path / "copy.sqlite3")
    conn = sqlite3.connect(copy.path)
    conn.execute("INSERT INTO schema_migrations VALUES (9999, 'future', '2030-01-01T00:00:00Z')")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="newer Fotfeste"):
        restore(copy.path, tmp_path / "other" / "fotfeste.sqlite3", now=SystemClock().now())
