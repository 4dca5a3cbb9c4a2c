"""`fotfeste push-worker` beside `fotfeste serve`: it delivers due reminders, a kill -9 of a worker
mid fan-out loses nothing (its leases run out and another claims the rows), and no worker
outlives its serve, whether serve stops cleanly or is killed."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import httpx
import pytest
from bench.server_process import ServerProcess

from fotfeste.clock import isoformat_utc
from tests.push_fake import FakePushService
from tests.reliability.feed_server import Script, loopback_server
from tests.reliability.test_push_restart import _populate, _remind_everyone_now
from tests.server import children, database_session

POPULATE_TRIES = 3

pytestmark = pytest.mark.slow

LEASE_SECONDS = 20


def push_workers(server: ServerProcess) -> list[int]:
    """The `fotfeste push-worker` processes whose parent is this serve."""
    return [pid for pid in children(server.pid) if b"push-worker" in _cmdline(pid)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def alive(pid: int) -> bool:
    # A zombie (exited, not yet reaped) has no command line: it is gone for our purpose.
    return b"push-worker" in _cmdline(pid)


def wait_until(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_the_worker_serve_starts_delivers_due_reminders_and_goes_when_serve_goes(
    serve: Callable[..., ServerProcess],
) -> None:
    fake = FakePushService().start()
    try:
        # FOTFESTE_PUSH_WORKERS is not set: serve's default is one worker process.
        server = serve(FOTFESTE_PUSH_HOSTS=f"127.0.0.1:{fake.port}", FOTFESTE_PUSH_POLL_SECONDS="1")
        assert wait_until(lambda: len(push_workers(server)) == 1, 15), "no push worker started"
        [worker] = push_workers(server)
        people = []
        for _ in range(3):
            made = httpx.post(
                f"{server.url}/api/accounts",
                json={"role": "self", "locale": "en", "timezone": "Europe/Stockholm"},
            )
            headers = {"Authorization": f"Bearer {made.json()['token']}"}
            sub = fake.subscribe()
            answer = httpx.post(
                f"{server.url}/api/push/subscriptions", json=sub.as_json(), headers=headers
            )
            assert answer.status_code == 201, answer.text
            answer = httpx.put(
                f"{server.url}/api/reminders/checkin",
                json={"enabled": True, "time": "20:00"},
                headers=headers,
            )
            assert answer.status_code == 200, answer.text
            people.append(sub)
        # Evening comes now rather than at 20:00: the stored instant is moved, as time would.
        with database_session(server.settings) as db:
            db.execute("UPDATE reminders SET next_fire_at = ?", (isoformat_utc(datetime.now(UTC)),))
        assert fake.wait_for(lambda: all(fake.delivered_to(s) for s in people), 30), fake.errors
        assert fake.errors == []
        for sub in people:
            [message] = fake.delivered_to(sub)
            assert message["url"] == "/#/checkin"
        # Still the same worker: the API's process did not take over the sending.
        assert push_workers(server) == [worker]

        server.kill9()
        assert wait_until(lambda: not alive(worker), 10), "the worker outlived a killed serve"

        server.start()
        assert wait_until(lambda: len(push_workers(server)) == 1, 15)
        [worker] = push_workers(server)
        server.stop()  # SIGTERM: serve stops its worker before it exits
        assert not alive(worker), "the worker outlived a stopped serve"
    finally:
        fake.stop()


def populate(server: ServerProcess, push_url: str) -> tuple[list[str], list[str]]:
    """_populate's 11,000 requests, tried again from the start if the busy shared machine drops
    a connection on the way (the fan-out, not the set-up, is under test)."""
    for attempt in range(POPULATE_TRIES):
        try:
            return asyncio.run(_populate(server, push_url))
        except aiohttp.ClientError:
            if attempt == POPULATE_TRIES - 1:
                raise
            with database_session(server.settings) as db:
                db.execute("DELETE FROM accounts")  # subscriptions and reminders go with them
    raise AssertionError("unreachable")


def test_kill9_of_a_worker_during_a_10000_notification_fan_out_loses_nothing(
    serve: Callable[..., ServerProcess],
) -> None:
    script = Script()
    with loopback_server(script) as push_url:
        server = serve(
            FOTFESTE_PUSH_HOSTS=push_url.removeprefix("http://"),
            FOTFESTE_PUSH_LEASE_SECONDS=str(LEASE_SECONDS),
            FOTFESTE_PUSH_WORKERS="2",
        )
        assert wait_until(lambda: len(push_workers(server)) == 2, 15)
        tokens, endpoints = populate(server, push_url)
        _remind_everyone_now(server, tokens)

        def delivered() -> int:
            with script.lock:
                return len({path for path, _ in script.posts})

        assert wait_until(lambda: delivered() >= len(endpoints) // 4, 240), "no fan-out"
        at_kill = delivered()
        victim = push_workers(server)[0]
        os.kill(victim, signal.SIGKILL)  # mid fan-out: no shutdown, nothing settled
        # serve starts another; the victim's claimed rows come back when their lease runs out.
        assert wait_until(lambda: victim not in push_workers(server), 10)
        assert wait_until(lambda: len(push_workers(server)) == 2, 15), "no worker restarted"
        wait_until(lambda: delivered() >= len(endpoints), LEASE_SECONDS + 120)
        with script.lock:
            counts = Counter(path for path, _ in script.posts)
    missing = {e.removeprefix(push_url) for e in endpoints} - set(counts)
    duplicates = sum(c - 1 for c in counts.values())
    print(f"worker kill -9: {len(endpoints)} due, {at_kill} delivered before, "
          f"{len(missing)} missing, {duplicates} duplicates")  # fmt: skip
    assert missing == set(), f"{len(missing)} due notifications never arrived"
    # At most what the killed worker had claimed and not yet recorded as sent.
    assert duplicates <= 1000
