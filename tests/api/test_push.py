"""Web Push over HTTP: key, subscriptions, the allowlist, delivery and every answer of a service."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from fotfeste.clock import FixedClock
from fotfeste.push import outbox
from tests.api.conftest import Person, sign_up
from tests.api.push_support import push_service, run_in_server, subscribe, tick
from tests.conftest import DEFAULT_NOW, LiveServer
from tests.push_fake import FakePushService, b64, unb64


def outbox_rows(server: LiveServer) -> int:
    with sqlite3.connect(server.database_path) as conn:
        return int(conn.execute("SELECT count(*) FROM push_outbox").fetchone()[0])


def subscription_count(server: LiveServer, account_id: str) -> int:
    with sqlite3.connect(server.database_path) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM push_subscriptions WHERE account_id = ?", (account_id,)
            ).fetchone()[0]
        )


def test_key_is_a_p256_point_and_stable(http: httpx.Client) -> None:
    first = http.get("/api/push/key").json()["public_key"]
    assert http.get("/api/push/key").json()["public_key"] == first
    assert len(first) == 87  # 65 bytes, base64url without padding


def test_test_push_arrives_encrypted_with_a_valid_vapid_jwt(
    person: Person, fake_push: FakePushService, live_server: LiveServer
) -> None:
    sub = subscribe(person, fake_push)
    answer = person.post("/api/push/test")
    assert answer.status_code == 202
    assert answer.json() == {"queued": 1}
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    assert fake_push.errors == []
    received = fake_push.messages_for(sub)[0]
    assert received.message["title"] == "Reminders are working"
    assert received.message["url"].startswith("/")
    assert received.claims["aud"] == fake_push.origin
    assert received.claims["sub"] == live_server.settings.vapid_subject
    assert received.headers["ttl"] == "600"
    assert received.headers["urgency"] == "normal"
    assert received.headers["topic"] == "test"
    assert outbox_rows(live_server) == 0


def test_vapid_header_is_reused_per_origin(
    person: Person, fake_push: FakePushService, live_server: LiveServer
) -> None:
    sub = subscribe(person, fake_push)
    for _ in range(3):
        person.post("/api/push/test")
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 3)
    tokens = {r.headers["authorization"] for r in fake_push.messages_for(sub)}
    assert len(tokens) == 1


def test_https_subject_is_sent_as_is(server_factory: Callable[..., LiveServer]) -> None:
    clock = FixedClock(DEFAULT_NOW)
    server = server_factory(clock, vapid_subject="https://fotfeste.example.org/contact")
    fake = FakePushService(subject="https://fotfeste.example.org/contact", now=clock.now).start()
    try:
        person = sign_up(server.url)
        sub = subscribe(person, fake)
        person.post("/api/push/test")
        tick(server)
        assert fake.wait_for(lambda: len(fake.delivered_to(sub)) == 1)
        assert fake.errors == []
    finally:
        fake.stop()


def test_subscription_is_validated(person: Person, fake_push: FakePushService) -> None:
    sub = fake_push.subscribe()
    good = sub.as_json()
    point = bytearray(unb64(sub.p256dh))
    point[-1] ^= 1  # no longer on the curve
    cases = [
        ({**good, "keys": {"p256dh": "AAAA", "auth": sub.auth}}, "p256dh"),
        ({**good, "keys": {"p256dh": b64(bytes(point)), "auth": sub.auth}}, "p256dh"),
        ({**good, "keys": {"p256dh": sub.p256dh, "auth": "c2hvcnQ"}}, "auth"),
        ({**good, "keys": {"p256dh": sub.p256dh, "auth": "not base64!"}}, "auth"),
        ({**good, "endpoint": "not a url"}, "endpoint"),
        ({"endpoint": good["endpoint"]}, "keys"),
        ({**good, "extra": 1}, "extra"),
    ]
    for body, field in cases:
        answer = person.post("/api/push/subscriptions", json=body)
        assert answer.status_code == 400, (body, answer.text)
        assert field in answer.text


def test_allowlist_refuses_other_hosts(person: Person) -> None:
    sub = FakePushService().subscribe()
    keys = sub.as_json()["keys"]
    refused = [
        "https://evil.example.com/push/1",
        "http://127.0.0.2/push/1",  # loopback but not listed
        "http://localhost/push/1",
        "http://10.0.0.1/push/1",
        "ftp://127.0.0.1/push/1",
        "https://user:pw@127.0.0.1/push/1",
        "http://169.254.169.254/latest/meta-data",
    ]
    for endpoint in refused:
        answer = person.post("/api/push/subscriptions", json={"endpoint": endpoint, "keys": keys})
        assert answer.status_code == 400, endpoint
        assert "endpoint" in answer.text


def test_plain_http_is_refused_for_public_hosts(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(push_hosts=("push.example.org", "*.notify.windows.com", "127.0.0.1:*"))
    person = sign_up(server.url)
    keys = FakePushService().subscribe().as_json()["keys"]

    def status(endpoint: str) -> int:
        body = {"endpoint": endpoint, "keys": keys}
        return person.post("/api/push/subscriptions", json=body).status_code

    assert status("https://push.example.org/abc") == 201
    assert status("http://push.example.org/abc") == 400
    assert status("https://wns2-par02p.notify.windows.com/w/?token=x") == 201
    assert status("https://notify.windows.com/w/") == 400
    assert status("https://notify.windows.com.evil.org/w/") == 400


def test_endpoints_with_whitespace_other_ports_or_bad_host_names_are_refused(
    server_factory: Callable[..., LiveServer],
) -> None:
    # Issue 22 #4: these were accepted (201) and then broke the sender on every pass.
    server = server_factory(push_hosts=("fcm.googleapis.com", "*.notify.windows.com"))
    person = sign_up(server.url)
    keys = FakePushService().subscribe().as_json()["keys"]

    def answer(endpoint: str) -> httpx.Response:
        return person.post("/api/push/subscriptions", json={"endpoint": endpoint, "keys": keys})

    assert answer("https://fcm.googleapis.com/fcm/send/abc").status_code == 201
    assert answer("https://fcm.googleapis.com:443/fcm/send/abc").status_code == 201
    refused = [
        "https://fcm.googleapis.com/x\r\n",
        "https://fcm.googleapis.com/x\r\nX-Injected: 1",
        "https://fcm.googleapis.com/x\ty",
        "https://fcm.googleapis.com/x y",
        "https://fcm.googleapis.com/x ",
        "https://fcm.googleapis.com:22/x",  # a listed host without a port: 443 only
        "https://fcm.googleapis.com:8443/x",
        "https://a_b.notify.windows.com/x",  # not a DNS name
        "https://-x.notify.windows.com/x",
    ]
    for endpoint in refused:
        refusal = answer(endpoint)
        assert refusal.status_code == 400, endpoint
        assert "endpoint" in refusal.text
    with sqlite3.connect(server.database_path) as conn:
        stored = [row[0] for row in conn.execute("SELECT endpoint FROM push_subscriptions")]
    assert sorted(stored) == [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://fcm.googleapis.com:443/fcm/send/abc",
    ]


def test_a_stored_bad_endpoint_does_not_hold_up_other_messages(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    # Rows stored before registration refused them: each is settled (dropped) on the first
    # pass, and the account's good subscription gets its message once, not once per pass.
    good = subscribe(person, fake_push)
    bad = [f"{fake_push.origin}/push/x\r\n", f"{fake_push.origin}/push/a b"]
    with sqlite3.connect(live_server.database_path) as conn:
        conn.executemany(
            "INSERT INTO push_subscriptions (id, account_id, endpoint, p256dh, auth,"
            " created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, '2026-01-01', '2026-01-01')",
            [
                (f"bad{i}{person.account_id}", person.account_id, e, good.p256dh, good.auth)
                for i, e in enumerate(bad)
            ],
        )
    assert person.post("/api/push/test").json() == {"queued": 3}
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(good)) == 1)
    for _ in range(3):
        # Past the lease too: an unsettled message would come back and go out again.
        clock.advance(timedelta(seconds=live_server.settings.push_lease_seconds + 1))
        tick(live_server)
    assert len(fake_push.messages_for(good)) == 1
    assert outbox_rows(live_server) == 0


def test_subscriptions_are_per_account(
    person_factory: Callable[..., Person], fake_push: FakePushService
) -> None:
    alice, bob = person_factory(), person_factory()
    sub = fake_push.subscribe()
    first = alice.post("/api/push/subscriptions", json=sub.as_json()).json()["id"]
    # Re-sent at every app start: same id.
    assert alice.post("/api/push/subscriptions", json=sub.as_json()).json()["id"] == first
    assert bob.delete(f"/api/push/subscriptions/{first}").status_code == 404
    assert alice.delete(f"/api/push/subscriptions/{first}").status_code == 204
    assert alice.delete(f"/api/push/subscriptions/{first}").status_code == 404


def test_push_endpoints_need_a_token(http: httpx.Client) -> None:
    assert http.post("/api/push/test").status_code == 401
    assert http.post("/api/push/subscriptions", json={}).status_code == 401


def test_gone_subscriptions_are_deleted(
    person_factory: Callable[..., Person], fake_push: FakePushService, live_server: LiveServer
) -> None:
    for status in (404, 410):
        person = person_factory()
        sub = subscribe(person, fake_push)
        fake_push.script(sub, status)
        person.post("/api/push/test")
        tick(live_server)
        assert fake_push.wait_for(lambda sub=sub: len(fake_push.messages_for(sub)) == 1)
        assert subscription_count(live_server, person.account_id) == 0
        # Nothing more is sent there.
        person.post("/api/push/test")
        tick(live_server)
        assert len(fake_push.messages_for(sub)) == 1


def test_too_large_and_other_4xx_are_dropped(
    person: Person, fake_push: FakePushService, live_server: LiveServer
) -> None:
    sub = subscribe(person, fake_push)
    fake_push.script(sub, 413, 400, 403)
    for _ in range(3):
        person.post("/api/push/test")
        tick(live_server)
    tick(live_server)
    assert [r.status for r in fake_push.messages_for(sub)] == [413, 400, 403]
    assert subscription_count(live_server, person.account_id) == 1
    assert outbox_rows(live_server) == 0


def test_429_and_5xx_retry_with_backoff_honouring_retry_after(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    fake_push.script(sub, (429, {"Retry-After": "300"}), 503)
    person.post("/api/push/test")
    tick(live_server)
    assert [r.status for r in fake_push.messages_for(sub)] == [429]
    clock.advance(timedelta(seconds=200))  # within Retry-After: not yet
    tick(live_server)
    assert len(fake_push.messages_for(sub)) == 1
    clock.advance(timedelta(seconds=101))
    tick(live_server)
    assert [r.status for r in fake_push.messages_for(sub)] == [429, 503]
    clock.advance(timedelta(seconds=90))  # backoff after the 2nd attempt: about a minute
    tick(live_server)
    assert [r.status for r in fake_push.messages_for(sub)] == [429, 503, 201]
    assert outbox_rows(live_server) == 0


def test_a_short_retry_after_is_honoured_then_backoff_grows(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    fake_push.script(sub, (503, {"Retry-After": "1"}), (429, {"Retry-After": "1"}), 500)
    person.post("/api/push/test")
    tick(live_server)
    clock.advance(timedelta(seconds=2))  # not 30 s: the service asked for one
    tick(live_server)
    clock.advance(timedelta(seconds=2))
    tick(live_server)
    assert [r.status for r in fake_push.messages_for(sub)] == [503, 429, 500]
    clock.advance(timedelta(seconds=20))  # no Retry-After now: the usual backoff (minutes)
    tick(live_server)
    assert len(fake_push.messages_for(sub)) == 3
    clock.advance(timedelta(minutes=3))
    tick(live_server)
    assert [r.status for r in fake_push.messages_for(sub)] == [503, 429, 500, 201]
    assert outbox_rows(live_server) == 0


def test_retries_are_bounded_by_the_ttl(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    fake_push.script(sub, *([500] * 20))
    person.post("/api/push/test")  # TTL 10 minutes
    for _ in range(20):
        tick(live_server)
        clock.advance(timedelta(minutes=2))
    attempts = len(fake_push.messages_for(sub))
    assert 2 <= attempts <= 8
    assert outbox_rows(live_server) == 0


def test_an_unreachable_push_service_is_tried_again_until_it_is_back(
    person: Person, live_server: LiveServer, clock: FixedClock
) -> None:
    fake = FakePushService(
        subject=live_server.settings.vapid_subject, now=live_server.clock.now
    ).start()
    sub = subscribe(person, fake)
    fake.stop()  # nothing listens on its port: connections are refused
    person.post("/api/push/test")
    tick(live_server)
    assert outbox_rows(live_server) == 1  # kept for a retry, not dropped
    back = fake.restarted()
    try:
        clock.advance(timedelta(minutes=3))
        tick(live_server)
        assert len(back.delivered_to(sub)) == 1
        assert outbox_rows(live_server) == 0
    finally:
        back.stop()


def test_redirects_are_not_followed(
    person: Person, fake_push: FakePushService, live_server: LiveServer
) -> None:
    sub = subscribe(person, fake_push)
    fake_push.script(sub, (301, {"Location": "http://10.0.0.1/steal"}))
    person.post("/api/push/test")
    tick(live_server)
    assert [r.status for r in fake_push.messages_for(sub)] == [301]
    assert outbox_rows(live_server) == 0


def lease(server: LiveServer) -> timedelta:
    return timedelta(seconds=server.settings.push_lease_seconds)


def test_a_claimed_row_comes_back_after_its_lease(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:

    sub = subscribe(person, fake_push)
    service = push_service(live_server)

    async def claim_and_die() -> list[outbox.Message]:
        # A sender claims the row and dies before sending (the lock keeps the real one out).
        async with service._send_lock:
            note = outbox.Notification(person.account_id, '{"title":"t"}', None, "normal", 600)
            await outbox.enqueue(service.db, clock, note)
            return await outbox.claim(service.db, clock.now(), 100, lease(live_server))

    claimed = run_in_server(live_server, claim_and_die())
    assert any(m.endpoint == sub.endpoint for m in claimed)
    tick(live_server)
    assert fake_push.messages_for(sub) == []
    clock.advance(lease(live_server) - timedelta(seconds=1))
    tick(live_server)
    assert fake_push.messages_for(sub) == []  # still hidden until the lease runs out
    clock.advance(timedelta(seconds=2))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)


def test_a_restart_loses_nothing(server_factory: Callable[..., LiveServer], tmp_path) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(DEFAULT_NOW)
    fake = FakePushService(now=clock.now).start()
    try:
        data_dir = tmp_path / "restart"
        first = server_factory(clock, data_dir=data_dir, push_poll_seconds=3600)
        person = sign_up(first.url)
        sub = subscribe(person, fake)
        key = first.settings.data_dir / "vapid_private_key.pem"
        public = httpx.get(f"{first.url}/api/push/key").json()["public_key"]
        assert person.post("/api/push/test").json() == {"queued": 1}
        first.stop()  # perhaps mid-send: the row is in the database, claimed or not
        second = server_factory(clock, data_dir=data_dir, push_poll_seconds=3600)
        assert httpx.get(f"{second.url}/api/push/key").json()["public_key"] == public
        assert key.stat().st_mode & 0o077 == 0
        clock.advance(lease(second) + timedelta(seconds=1))
        tick(second)
        assert fake.wait_for(lambda: len(fake.delivered_to(sub)) >= 1)
        assert outbox_rows(second) == 0
        assert fake.errors == []
    finally:
        fake.stop()


def test_a_message_older_than_its_ttl_is_dropped_unsent(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    service = push_service(live_server)

    async def queue_then_wait() -> None:
        # Queued, then the server is "down" (no sender) for longer than the message's TTL.
        async with service._send_lock:
            note = outbox.Notification(person.account_id, '{"title":"t"}', None, "normal", 600)
            await outbox.enqueue(service.db, clock, note)
            clock.advance(timedelta(minutes=11))

    run_in_server(live_server, queue_then_wait())
    tick(live_server)
    assert fake_push.messages_for(sub) == []
    assert outbox_rows(live_server) == 0


def test_test_pushes_do_not_pile_up(person: Person, live_server: LiveServer) -> None:
    service = push_service(live_server)

    async def hold() -> list[int]:
        # While nothing can be sent, test notifications stop being queued after a while.
        async with service._send_lock:
            return [
                await asyncio.to_thread(lambda: person.post("/api/push/test").status_code)
                for _ in range(22)
            ]

    sub = FakePushService().subscribe()
    person.post(
        "/api/push/subscriptions", json={**sub.as_json(), "endpoint": "http://127.0.0.1:9/p"}
    )
    statuses = run_in_server(live_server, hold())
    assert statuses[:20] == [202] * 20
    assert statuses[20:] == [429, 429]


def test_one_accounts_unreadable_reminder_does_not_stop_the_others(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
) -> None:
    alice, bob = person_factory(), person_factory()
    alice_sub, bob_sub = subscribe(alice, fake_push), subscribe(bob, fake_push)
    for person in (alice, bob):
        answer = person.put("/api/reminders/checkin", json={"enabled": True, "time": "20:00"})
        assert answer.status_code == 200
    # A row no PUT makes today (stored before input was checked, or by a bug): it raises when
    # the scheduler reads it. Bob's reminder, queued in the same round, must still go out.
    with sqlite3.connect(live_server.database_path) as conn:
        conn.execute(
            "UPDATE reminders SET local_time = '25:61' WHERE account_id = ?", (alice.account_id,)
        )
    clock.set(datetime(2026, 3, 16, 19, 0, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(bob_sub)) == 1)
    assert fake_push.messages_for(alice_sub) == []
    with sqlite3.connect(live_server.database_path) as conn:
        (later,) = conn.execute(
            "SELECT next_fire_at FROM reminders WHERE account_id = ?", (alice.account_id,)
        ).fetchone()
    assert later > "2026-03-16T19:00:00+00:00"  # set aside, not read again on every pass


def test_the_sender_wakes_for_a_short_retry_after_without_waiting_for_its_poll(
    server_factory: Callable[..., LiveServer],
) -> None:
    # The background sender, not tick(): with an hour between polls, only waking for the
    # earliest row can explain a retry a second after the push service asked for one.
    clock = FixedClock(DEFAULT_NOW)
    server = server_factory(clock, push_poll_seconds=3600)
    fake = FakePushService(subject=server.settings.vapid_subject, now=clock.now).start()
    try:
        person = sign_up(server.url)
        sub = subscribe(person, fake)
        fake.script(sub, (503, {"Retry-After": "1"}))
        person.post("/api/push/test")
        assert fake.wait_for(lambda: len(fake.messages_for(sub)) == 1)

        def retry_recorded() -> bool:
            with sqlite3.connect(server.database_path) as conn:
                row = conn.execute("SELECT available_at, attempts FROM push_outbox").fetchone()
            # Settled for a retry in 1 s (while merely claimed, it is hidden for the lease).
            return row == ((DEFAULT_NOW + timedelta(seconds=1)).isoformat(), 1)

        deadline = time.monotonic() + 10
        while not retry_recorded() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert retry_recorded()
        clock.advance(timedelta(seconds=2))
        assert fake.wait_for(lambda: len(fake.delivered_to(sub)) == 1, timeout=10)
        assert [r.status for r in fake.messages_for(sub)] == [503, 201]
    finally:
        fake.stop()
