"""PostgreSQL stopped and started again under load (issue 19): while it is down, people get a clear
503 with Retry-After at once, never a 500 or a hang; once it is back the app serves again by itself;
every acknowledged check-in is in the database afterwards.

PostgreSQL only by nature: the test stops a cluster of its own. `restart_under_load` is also the
figure bench/engines.py prints.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests import engine
from tests.reliability.pg_control import ControlledCluster
from tests.server import ServerProcess

CLIENTS = 16
DOWN_SECONDS = 4.0
BOUND_SECONDS = 15.0  # no answer may take longer than this, even while PostgreSQL is down
RECOVER_SECONDS = 30.0
LATEST = datetime.now(UTC).date() - timedelta(days=1)  # yesterday in UTC is past everywhere
PERSON = {"role": "self", "locale": "sv", "timezone": "Europe/Stockholm"}


@dataclass
class Outcome:
    """What the clients saw, and what the database holds afterwards."""

    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0
    acknowledged: dict[tuple[str, str], str] = field(default_factory=dict)
    without_retry_after: int = 0
    slowest: float = 0.0
    unavailable: int = 0  # 503s
    recovered_after: float | None = None  # seconds from PostgreSQL's start to the next 200 write
    lost: int = 0

    def figures(self) -> dict[str, Any]:
        return {
            "acknowledged": len(self.acknowledged),
            "lost": self.lost,
            "503s": self.unavailable,
            "other errors": sum(n for s, n in self.statuses.items() if s >= 400 and s != 503)
            + self.transport_errors,
            "slowest answer s": round(self.slowest, 2),
            "recovered after s": None
            if self.recovered_after is None
            else round(self.recovered_after, 2),
        }


async def _sign_up(client: httpx.AsyncClient) -> tuple[str, str]:
    made = await client.post("/api/accounts", json=PERSON)
    assert made.status_code == 201, made.text
    return made.json()["token"], made.json()["account_id"]


async def _load(
    url: str, cluster: ControlledCluster, outcome: Outcome, *, before: float, after: float
) -> None:
    """CLIENTS people check in and read back, one request after another, while PostgreSQL is
    stopped for DOWN_SECONDS and started again."""
    limits = httpx.Limits(max_connections=CLIENTS * 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        people = [await _sign_up(client) for _ in range(CLIENTS)]
        stop = asyncio.Event()
        recovered = asyncio.Event()
        restarted_at: list[float] = []

        async def person(number: int) -> None:
            token, account = people[number]
            headers = {"Authorization": f"Bearer {token}"}
            for sequence in range(600):  # one new date per check-in (under the two-year limit)
                if stop.is_set():
                    return
                day = (LATEST - timedelta(days=sequence)).isoformat()
                note = f"p{number}-s{sequence}"
                body = {"used": False, "craving": sequence % 11, "mood": 1 + sequence % 5}
                started = time.monotonic()
                try:
                    if sequence % 3 == 2:
                        answer = await client.get(
                            "/api/checkins", params={"from": day, "to": day}, headers=headers
                        )
                    else:
                        answer = await client.put(
                            f"/api/checkins/{day}", json={**body, "note": note}, headers=headers
                        )
                except httpx.TransportError:
                    outcome.transport_errors += 1
                    continue
                finally:
                    outcome.slowest = max(outcome.slowest, time.monotonic() - started)
                status = answer.status_code
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                if status == 503:
                    outcome.unavailable += 1
                    if not answer.headers.get("retry-after", "").isdigit():
                        outcome.without_retry_after += 1
                    await asyncio.sleep(0.05)  # a client backing off, not hammering
                elif status == 200 and answer.request.method == "PUT":
                    outcome.acknowledged[(account, day)] = note
                    if restarted_at and started >= restarted_at[0] and not recovered.is_set():
                        outcome.recovered_after = time.monotonic() - restarted_at[0]
                        recovered.set()

        async def operator() -> None:
            await asyncio.sleep(before)
            await asyncio.to_thread(cluster.pg_stop, "fast")
            await asyncio.sleep(DOWN_SECONDS)
            await asyncio.to_thread(cluster.pg_start)
            restarted_at.append(time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(recovered.wait(), RECOVER_SECONDS)
            await asyncio.sleep(after)
            stop.set()

        await asyncio.gather(operator(), *(person(n) for n in range(CLIENTS)))


def restart_under_load(
    cluster: ControlledCluster, data_dir: Path, *, workers: int = 1, before: float = 2.0
) -> Outcome:
    """A `fotfeste serve` on the cluster's database under load while PostgreSQL restarts."""
    args = ("--workers", str(workers)) if workers > 1 else ()
    server = ServerProcess(
        data_dir, args=args, database={"FOTFESTE_DATABASE_URL": cluster.url}
    ).start()
    outcome = Outcome()
    try:
        asyncio.run(_load(server.url, cluster, outcome, before=before, after=2.0))
    finally:
        server.stop()
    with psycopg.connect(cluster.url) as conn:
        stored = {
            (account, day): note
            for account, day, note in conn.execute("SELECT account_id, date, note FROM checkins")
        }
    outcome.lost = sum(1 for key, note in outcome.acknowledged.items() if stored.get(key) != note)
    return outcome


@pytest.mark.skipif(engine.engine != "postgresql", reason="stops a PostgreSQL server")
def test_postgresql_restarted_under_load(tmp_path: Path) -> None:
    cluster = ControlledCluster().start()
    try:
        outcome = restart_under_load(cluster, tmp_path / "data")
    finally:
        cluster.stop()
    print("PostgreSQL restarted under load:", outcome.figures(), outcome.statuses)
    assert outcome.unavailable > 0, "no request met PostgreSQL down: the test tested nothing"
    assert set(outcome.statuses) <= {200, 503}, outcome.statuses
    assert outcome.transport_errors == 0
    assert outcome.without_retry_after == 0
    assert outcome.slowest < BOUND_SECONDS
    assert outcome.recovered_after is not None, "service did not resume by itself"
    assert outcome.recovered_after < RECOVER_SECONDS
    assert outcome.lost == 0, f"{outcome.lost} acknowledged check-ins lost"
