"""`fotfeste copy-to`: a SQLite deployment moves to PostgreSQL, every row, and serves the same."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx
import pytest

from fotfeste.copy_to import copy_to
from tests import engine
from tests.api.conftest import sign_up
from tests.conftest import make_settings, start_server


def test_copy_to_moves_every_table_and_the_export_reads_the_same(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "sqlite")
    settings = type(settings)(**{**_fields(settings), "database_url": None})
    server = start_server(settings)
    try:
        people = [sign_up(server.url, locale=locale) for locale in ("sv", "en", "da")]
        for n, person in enumerate(people):
            assert person.put(
                "/api/sobriety", json={"start_date": "2026-01-0" + str(n + 1)}
            ).is_success
            for day in ("2026-03-10", "2026-03-12", "2026-03-16"):
                answer = person.put(
                    f"/api/checkins/{day}", json={"used": day == "2026-03-12", "mood": 3}
                )
                assert answer.is_success, answer.text
            assert person.put("/api/me/spending", json={"amount": 700, "per": "week"}).is_success
        exports = {p.account_id: p.get("/api/me/export").json() for p in people}
    finally:
        server.stop()
    source = settings.database_path
    url = engine.new_postgresql_database(migrated=False)

    report = asyncio.run(copy_to(source, url, account=people[1].account_id))

    assert report[-1].startswith("counts match")
    assert "checkins: 9 rows" in report and "accounts: 3 rows" in report
    # The same people, served from PostgreSQL: same tokens, same exports.
    copied = start_server(make_settings(tmp_path / "pg", database_url=url))
    try:
        for person in people:
            with httpx.Client(base_url=copied.url, headers=person.client.headers) as client:
                assert client.get("/api/me/export").json() == exports[person.account_id]
            # New rows after the copy get new keys (identities continue after the copied ones).
            with httpx.Client(base_url=copied.url, headers=person.client.headers) as client:
                assert client.put("/api/checkins/2026-03-15", json={"used": False}).is_success
    finally:
        copied.stop()


def test_copy_to_refuses_a_database_that_holds_accounts(tmp_path: Path) -> None:
    from fotfeste.copy_to import CopyError

    settings = make_settings(tmp_path / "sqlite")
    server = start_server(type(settings)(**{**_fields(settings), "database_url": None}))
    sign_up(server.url)
    server.stop()
    url = engine.new_postgresql_database(migrated=False)
    asyncio.run(copy_to(server.settings.database_path, url))
    with pytest.raises(CopyError, match="already holds accounts"):
        asyncio.run(copy_to(server.settings.database_path, url))
    with sqlite3.connect(server.settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 1


def _fields(settings: object) -> dict[str, object]:
    import msgspec

    return msgspec.structs.asdict(settings)  # type: ignore[arg-type]


def test_backup_and_restore_point_postgresql_to_its_own_tools(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = engine.new_postgresql_database(migrated=False)
    for command in (["backup", str(tmp_path / "b.sqlite3")], ["restore", str(tmp_path / "b")]):
        done = subprocess.run(
            [sys.executable, "-m", "fotfeste", *command],
            env={"FOTFESTE_DATABASE_URL": url, "FOTFESTE_DATA_DIR": str(tmp_path), "PATH": ""},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert "pg_basebackup" in done.stdout
