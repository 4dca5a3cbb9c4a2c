"""Restart (kill -9) during a 10,000-notification reminder fan-out: every due reminder arrives once
the server is back; duplicates are counted and stay within what was claimed at the crash."""

from __future__ import annotations

import asyncio
import base64
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.reliability.feed_server import Script, loopback_server
from tests.server import ServerProcess

pytestmark = pytest.mark.slow

ACCOUNTS = 1000
SUBSCRIPTIONS_EACH = 10  # 10,000 notifications for one due reminder per account
LEASE_SECONDS = 20
DUPLICATES_BOUND = 1000  # a lease covers at most one claimed batch per sender; say so if worse


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _keys() -> dict[str, str]:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": _b64(raw), "auth": _b64(b"0123456789abcdef")}


def _client(server: ServerProcess) -> httpx.AsyncClient:
    # Idle connections are dropped before uvicorn's 5-second keep-alive ends: reusing one the
    # server is closing at that moment fails the request (httpx does not retry a POST).
    limits = httpx.Limits(max_connections=50, keepalive_expiry=2)
    return httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits)


async def _populate(server: ServerProcess, push_url: str) -> tuple[list[str], list[str]]:
    """ACCOUNTS people with SUBSCRIPTIONS_EACH subscriptions each: (tokens, endpoints)."""
    keys = _keys()
    tokens: list[str] = []
    endpoints: list[str] = []
    semaphore = asyncio.Semaphore(50)
    async with _client(server) as client:

        async def person(n: int) -> None:
            async with semaphore:
                made = await client.post(
                    "/api/accounts", json={"role": "self", "locale": "sv", "timezone": "UTC"}
                )
                token = made.json()["token"]
                for s in range(SUBSCRIPTIONS_EACH):
                    endpoint = f"{push_url}/push/{n}/{s}"
                    answer = await client.post(
                        "/api/push/subscriptions",
                        json={"endpoint": endpoint, "keys": keys},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    assert answer.status_code == 201, answer.text
                    endpoints.append(endpoint)
                tokens.append(token)

        await asyncio.gather(*(person(n) for n in range(ACCOUNTS)))
    return tokens, endpoints


async def _remind_everyone_at(server: ServerProcess, tokens: list[str], at: str) -> None:
    semaphore = asyncio.Semaphore(50)
    async with _client(server) as client:

        async def remind(token: str) -> None:
            async with semaphore:
                answer = await client.put(
                    "/api/reminders/checkin",
                    json={"enabled": True, "time": at},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert answer.status_code == 200, answer.text

        await asyncio.gather(*(remind(token) for token in tokens))


def _next_minute_with_room(seconds: float) -> datetime:
    """The start of the first minute (UTC) at least `seconds` away."""
    now = datetime.now(UTC)
    return (now + timedelta(seconds=seconds + 60)).replace(second=0, microsecond=0)


def test_kill9_during_a_10000_notification_fan_out(serve: Callable[..., ServerProcess]) -> None:
    script = Script()
    with loopback_server(script) as push_url:
        host = push_url.removeprefix("http://")
        # A short lease, so rows claimed at the crash come back within the test's time.
        server = serve(FOTFESTE_PUSH_HOSTS=host, FOTFESTE_PUSH_LEASE_SECONDS=str(LEASE_SECONDS))
        tokens, endpoints = asyncio.run(_populate(server, push_url))
        assert len(endpoints) == ACCOUNTS * SUBSCRIPTIONS_EACH
        # Every reminder is set before its minute comes (one set after it would wait a day).
        due = _next_minute_with_room(seconds=20)
        asyncio.run(_remind_everyone_at(server, tokens, due.strftime("%H:%M")))
        assert datetime.now(UTC) < due, "setting the reminders took longer than planned"

        def delivered() -> int:
            with script.lock:
                return len({path for path, _ in script.posts})

        deadline = time.monotonic() + 240
        while delivered() < len(endpoints) // 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert delivered() > 0, "the fan-out never started"
        at_kill = delivered()
        server.kill9()
        server.start()
        # Rows claimed at the crash come back when their lease runs out: wait that long and more.
        deadline = time.monotonic() + LEASE_SECONDS + 120
        while delivered() < len(endpoints) and time.monotonic() < deadline:
            time.sleep(0.2)
        with script.lock:
            counts = Counter(path for path, _ in script.posts)
    missing = {e.removeprefix(push_url) for e in endpoints} - set(counts)
    duplicates = sum(c - 1 for c in counts.values())
    print(f"fan-out: {len(endpoints)} due, {at_kill} delivered before SIGKILL, "
          f"{len(missing)} missing after restart, {duplicates} duplicates")  # fmt: skip
    assert missing == set(), f"{len(missing)} due notifications never arrived"
    assert duplicates <= DUPLICATES_BOUND
