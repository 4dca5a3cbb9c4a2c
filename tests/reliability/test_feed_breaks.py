"""A meeting feed that breaks mid-import: a clear failure, the old meetings stay, reads answer."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import SHARED_DATA
from tests.reliability.feed_server import Script, loopback_server
from tests.server import TEST_ENV, ServerProcess, database_env

pytestmark = pytest.mark.slow

SAMPLE = SHARED_DATA / "bmlt-sample-search.json"
NEAR = {"lat": 42.868, "lon": -76.985, "radius_km": 200, "limit": 100}


def _import(server: ServerProcess, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **TEST_ENV, **database_env(server.data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "fotfeste", "meetings", "import", url, "--format", "bmlt",
         "--source", "breaking-feed", "--fellowship", "NA", "--timezone", "America/New_York"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _nearby(server: ServerProcess, token: str) -> list[str]:
    answer = httpx.get(
        f"{server.url}/api/meetings/nearby",
        params=NEAR,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return sorted(m["id"] for m in answer.json()["meetings"])


def test_a_feed_that_breaks_mid_import_changes_nothing(
    serve: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    server = serve()
    token = httpx.post(
        f"{server.url}/api/accounts", json={"role": "self", "locale": "en", "timezone": "UTC"}
    ).json()["token"]
    script = Script(body=SAMPLE.read_bytes())
    with loopback_server(script) as feed:
        first = _import(server, f"{feed}/search.json")
        assert first.returncode == 0, first.stdout + first.stderr
        before = _nearby(server, token)
        assert len(before) > 10

        for cut in (0, len(script.body) // 2, len(script.body) - 3):
            script.cut_at = cut
            broken = _import(server, f"{feed}/search.json")
            assert broken.returncode != 0, f"cut at {cut}: {broken.stdout}"
            message = (broken.stdout + broken.stderr).lower()
            assert "traceback" not in message, message[-2000:]
            assert any(w in message for w in ("read", "parse", "incomplete", "json", "fetch")), (
                message
            )
            # Nothing of the source changed, and the server kept answering reads throughout.
            assert _nearby(server, token) == before
            assert httpx.get(f"{server.url}/api/health").status_code == 200

        script.cut_at, script.status = None, 503
        unavailable = _import(server, f"{feed}/search.json")
        assert unavailable.returncode != 0
        assert _nearby(server, token) == before
