"""kill -9 of a real `fotfeste serve` under 1,000 concurrent writes: every 2xx survives."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests import engine
from tests.server import ServerProcess, database_session

pytestmark = pytest.mark.slow

CONCURRENT = 1000


async def _hammer(
    server: ServerProcess,
    requests: list[Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]],
    kill_after: int,
) -> list[tuple[int, httpx.Response]]:
    """Fire every request at once; SIGKILL the server once `kill_after` have been answered 2xx."""
    acknowledged: list[tuple[int, httpx.Response]] = []
    limits = httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=CONCURRENT)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:

        async def one(index: int) -> None:
            try:
                answer = await requests[index](client)
            except httpx.TransportError:
                return  # in flight at the kill: may or may not be stored, never acknowledged
            if 200 <= answer.status_code < 300:
                acknowledged.append((index, answer))
                if len(acknowledged) == kill_after and server.process is not None:
                    server.kill9()

        await asyncio.gather(*(one(i) for i in range(len(requests))))
    if server.process is not None:
        server.kill9()  # everything finished before the threshold: kill anyway
    return acknowledged


def test_kill9_under_1000_concurrent_account_creations(
    serve: Callable[..., ServerProcess],
) -> None:
    server = serve()
    body = {"role": "self", "locale": "sv", "timezone": "Europe/Stockholm"}
    requests = [(lambda c: c.post("/api/accounts", json=body)) for _ in range(CONCURRENT)]
    acknowledged = asyncio.run(_hammer(server, requests, kill_after=60))
    assert len(acknowledged) >= 60

    server.start()  # same data dir: SQLite recovers the WAL on open
    ids = {a.json()["account_id"] for _, a in acknowledged}
    with database_session(server.settings) as db:
        stored = {row[0] for row in db.query("SELECT id FROM accounts")}
        if engine.engine == "sqlite":  # SQLite's own check of its file after the WAL's recovery
            assert db.query("PRAGMA integrity_check")[0][0] == "ok"
    assert ids <= stored, f"{len(ids - stored)} acknowledged accounts lost"
    # And they work: a token answered before the crash signs in after it.
    _, first = acknowledged[0]
    me = httpx.get(
        f"{server.url}/api/me", headers={"Authorization": f"Bearer {first.json()['token']}"}
    )
    assert me.status_code == 200


def test_kill9_under_1000_concurrent_checkins(serve: Callable[..., ServerProcess]) -> None:
    server = serve()
    people = []
    for _ in range(50):
        made = httpx.post(
            f"{server.url}/api/accounts",
            json={"role": "self", "locale": "nb", "timezone": "Europe/Oslo"},
        ).json()
        people.append(made["token"])
    days = [date.today() - timedelta(days=2 + n) for n in range(CONCURRENT // len(people))]
    plan: list[tuple[str, str, dict[str, Any]]] = []
    for p, token in enumerate(people):
        for d, day in enumerate(days):
            body = {"used": (p + d) % 7 == 0, "craving": (p + d) % 11, "mood": 1 + (p * d) % 5}
            plan.append((token, day.isoformat(), body))

    def put(token: str, day: str, body: dict[str, Any]) -> Callable[..., Awaitable[httpx.Response]]:
        headers = {"Authorization": f"Bearer {token}"}
        return lambda c: c.put(f"/api/checkins/{day}", json=body, headers=headers)

    acknowledged = asyncio.run(
        _hammer(server, [put(*item) for item in plan], kill_after=CONCURRENT // 3)
    )
    assert len(acknowledged) >= CONCURRENT // 3

    server.start()
    lost = []
    stored: dict[str, dict[str, dict[str, Any]]] = {}
    for token in people:
        answer = httpx.get(
            f"{server.url}/api/checkins",
            params={"from": days[-1].isoformat(), "to": days[0].isoformat()},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200, answer.text
        stored[token] = {c["date"]: c for c in answer.json()["checkins"]}
    for index, _ in acknowledged:
        token, day, body = plan[index]
        row = stored[token].get(day)
        if row is None or any(row.get(k) != v for k, v in body.items()):
            lost.append((day, body, row))
    assert lost == [], f"{len(lost)} acknowledged check-ins lost or changed"
