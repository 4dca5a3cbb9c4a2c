"""Two `fotfeste serve` processes on one SQLite database (issue 19, several processes): what one
does to a token is seen by the other at once, guesses spread over both meet one limit, and the
reminder scheduler moves to the survivor when its process is killed."""

from __future__ import annotations

import base64
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from bench.server_process import ServerProcess
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fotfeste.settings import Settings
from tests.reliability.feed_server import Script, loopback_server
from tests.server import database_session
from tests.staff_portal import StaffClient, add_staff, csrf_of

LEASE_SECONDS = 3
START_SECONDS = 120
PERSON = {"role": "self", "locale": "sv", "timezone": "Europe/Stockholm"}


@pytest.fixture
def started() -> Iterator[list[ServerProcess]]:
    """Servers a test started, stopped after it."""
    servers: list[ServerProcess] = []
    yield servers
    for server in servers:
        server.stop()


def _start(started: list[ServerProcess], server: ServerProcess) -> ServerProcess:
    started.append(server)
    # Generous: on a shared two-core machine under load, a start has taken 20 s.
    return server.start(timeout=START_SECONDS)


def _pair(started: list[ServerProcess], tmp_path: Path, **env: str) -> list[ServerProcess]:
    """Two app processes sharing one data directory (one SQLite database in WAL)."""
    shared = tmp_path / "shared"
    return [_start(started, ServerProcess(shared, env=env)) for _ in range(2)]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _sign_up(server: ServerProcess) -> dict[str, str]:
    made = httpx.post(f"{server.url}/api/accounts", json=PERSON, timeout=30)
    assert made.status_code == 201, made.text
    body: dict[str, str] = made.json()
    return body


def _me(server: ServerProcess, token: str) -> int:
    return httpx.get(f"{server.url}/api/me", headers=_auth(token), timeout=10).status_code


def test_a_token_ended_in_one_process_is_refused_at_once_by_the_other(
    started: list[ServerProcess], tmp_path: Path
) -> None:
    a, b = _pair(started, tmp_path)
    # A device signed out in one process: the other refuses it on the very next request.
    person = _sign_up(a)
    assert _me(b, person["token"]) == 200  # the other process has just accepted it
    devices = httpx.get(f"{a.url}/api/me/devices", headers=_auth(person["token"])).json()
    device = next(d["id"] for d in devices["devices"] if d["current"])
    signed_out = httpx.delete(f"{a.url}/api/me/devices/{device}", headers=_auth(person["token"]))
    assert signed_out.status_code == 204
    assert _me(b, person["token"]) == 401

    # A recovery in one process replaces the account's tokens in both.
    person = _sign_up(b)
    assert _me(a, person["token"]) == 200
    recovered = httpx.post(
        f"{b.url}/api/accounts/recover", json={"recovery_code": person["recovery_code"]}, timeout=30
    )
    assert recovered.status_code == 200, recovered.text
    assert _me(a, person["token"]) == 401
    assert _me(a, recovered.json()["token"]) == 200

    # A deleted account is gone in both.
    person = _sign_up(a)
    assert _me(b, person["token"]) == 200
    assert httpx.delete(f"{a.url}/api/me", headers=_auth(person["token"])).status_code == 204
    assert _me(b, person["token"]) == 401


def test_guesses_spread_over_two_processes_meet_one_limit(
    started: list[ServerProcess], tmp_path: Path
) -> None:
    a, b = _pair(
        started, tmp_path, FOTFESTE_RATE_RECOVER="4/900", FOTFESTE_RATE_ACCOUNT_CREATE="3/3600"
    )
    answers = [
        httpx.post(
            f"{server.url}/api/accounts/recover",
            json={"recovery_code": f"{i:04d}-0000-0000-0000-0000-0000"},
            timeout=30,
        )
        for i, server in enumerate((a, b, a, b, a, b))
    ]
    assert [r.status_code for r in answers] == [401, 401, 401, 401, 429, 429]
    assert all(int(r.headers["retry-after"]) > 0 for r in answers[4:])

    created = [
        httpx.post(f"{server.url}/api/accounts", json=PERSON, timeout=30).status_code
        for server in (b, a, b, a, b)
    ]
    assert created == [201, 201, 201, 429, 429]


def _keys() -> dict[str, str]:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return {"p256dh": b64(raw), "auth": b64(b"0123456789abcdef")}


def _lease_holder(settings: Settings, name: str) -> str | None:
    with database_session(settings) as db:
        rows = db.query("SELECT holder FROM leases WHERE name = ?", (name,))
    return None if not rows else str(rows[0][0])


def _wait_for(what: str, check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.05)


def _parent_pid(pid: int) -> int:
    """The parent of a running process (from /proc), or 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_when_the_scheduler_process_is_killed_the_other_takes_over(
    started: list[ServerProcess], tmp_path: Path
) -> None:
    script = Script()
    with loopback_server(script) as push_url:
        a, b = _pair(
            started,
            tmp_path,
            FOTFESTE_LEASE_SECONDS=str(LEASE_SECONDS),
            FOTFESTE_PUSH_HOSTS=push_url.removeprefix("http://"),
        )
        database = a.settings  # b's are the same: one data directory, one database

        def leased() -> bool:
            return _lease_holder(database, "push_producers") is not None

        _wait_for("a process holds the scheduler's lease", leased, 10)
        holder = _lease_holder(database, "push_producers")
        assert holder is not None
        # The lease is held by a `serve` process or, as deployed (FOTFESTE_PUSH_WORKERS=1), by
        # the push worker it started: killing that `serve` ends its worker too (push/worker.py).
        holder_pid = int(holder.split(":")[1])
        owners = {holder_pid, _parent_pid(holder_pid)}
        leader, survivor = (a, b) if a.pid in owners else (b, a)
        assert leader.pid in owners, f"the lease holder {holder} is neither server nor theirs"
        leader.kill9()

        # Someone sets a reminder in the survivor; its minute comes after the leader died.
        person = _sign_up(survivor)
        endpoint = f"{push_url}/push/after-the-crash"
        subscribed = httpx.post(
            f"{survivor.url}/api/push/subscriptions",
            json={"endpoint": endpoint, "keys": _keys()},
            headers=_auth(person["token"]),
        )
        assert subscribed.status_code == 201, subscribed.text
        reminder = httpx.put(
            f"{survivor.url}/api/reminders/checkin",
            json={"enabled": True, "time": "21:00"},
            headers=_auth(person["token"]),
        )
        assert reminder.status_code == 200, reminder.text
        # Its minute has come: the stored instant is moved to just now (no waiting for 21:00).
        just_now = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="seconds")
        with database_session(database) as db:
            db.execute("UPDATE reminders SET next_fire_at = ?", (just_now,))

        def delivered() -> bool:
            with script.lock:
                return any(path == "/push/after-the-crash" for path, _ in script.posts)

        # The survivor takes the lease once it expires, then queues and sends the reminder.
        _wait_for("the reminder arrives through the survivor", delivered, LEASE_SECONDS + 30)
        holder = _lease_holder(database, "push_producers")
        assert holder is not None
        holder_pid = int(holder.split(":")[1])
        assert survivor.pid in {holder_pid, _parent_pid(holder_pid)}


def _children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        return {int(child) for child in listing.read().split()}


def test_serve_workers_runs_and_replaces_app_processes(
    started: list[ServerProcess], tmp_path: Path
) -> None:
    server = _start(started, ServerProcess(tmp_path / "workers", args=("--workers", "2")))
    try:
        _wait_for("two app processes", lambda: len(_children(server.pid)) == 2, 30)
        person = _sign_up(server)
        # Every request lands in one of them; each answers for the account the other made.
        assert {_me(server, person["token"]) for _ in range(20)} == {200}
        first = _children(server.pid)
        victim = min(first)
        victims = {victim} | _children(victim)  # the app process and the push worker it started
        os.kill(victim, signal.SIGKILL)

        def replaced() -> bool:
            now = _children(server.pid)
            return victim not in now and len(now - first) == 1

        _wait_for("a new app process in its place", replaced, 30)
        assert {_me(server, person["token"]) for _ in range(20)} == {200}
        left = _children(server.pid)
    finally:
        server.stop()
    # SIGTERM to the parent stops the app processes too, and they hand their leases back: the
    # next server takes the scheduler at once instead of after the lease's time.
    assert all(not Path(f"/proc/{pid}").exists() or _zombie(pid) for pid in left)
    # (Unless the one killed above or its push worker held it: such a lease waits out its time.)
    holder = _lease_holder(server.settings, "push_producers")
    assert holder is None or int(holder.split(":")[1]) in victims


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True


def test_staff_password_guesses_at_once_over_two_processes_each_count(
    started: list[ServerProcess], tmp_path: Path
) -> None:
    a, b = _pair(started, tmp_path)
    user = add_staff(a.settings)
    guessers = [StaffClient(server.url) for server in (a, b) * 5]
    try:
        forms = [csrf_of(guesser.get("/staff/login").text) for guesser in guessers]
        go = threading.Barrier(len(guessers))

        def guess(n: int) -> int:
            go.wait()
            fields = {"csrf": forms[n], "email": user.email, "password": f"guess {n}"}
            return guessers[n].http.post("/staff/login", data=fields).status_code

        with ThreadPoolExecutor(len(guessers)) as pool:
            answers = list(pool.map(guess, range(len(guessers))))
        assert set(answers) <= {401, 429}
        # Ten wrong passwords sent at once: at least five counted, so even the right one is
        # refused now, in either process.
        for server in (a, b):
            right = StaffClient(server.url)
            try:
                answer = right.login(user.email, user.password)
                assert answer.status_code == 429 and "15 minutes" in answer.text
            finally:
                right.close()
    finally:
        for guesser in guessers:
            guesser.close()


def test_staff_logins_from_one_address_meet_one_limit_over_two_processes(
    started: list[ServerProcess], tmp_path: Path
) -> None:
    a, b = _pair(started, tmp_path, FOTFESTE_RATE_STAFF_LOGIN="3/900")
    # Each try a different address, as someone guessing across many staff users would.
    answers = []
    for n, server in enumerate((a, b, a, b)):
        client = StaffClient(server.url)
        try:
            answers.append(client.login(f"someone-{n}@clinic.example", "guess"))
        finally:
            client.close()
    assert [answer.status_code for answer in answers] == [401, 401, 401, 429]
    assert int(answers[3].headers["retry-after"]) > 0
