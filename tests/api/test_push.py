"""Web Push over HTTP: key, subscriptions, the allowlist, delivery and every answer of a service."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from fotfeste.clock import FixedClock
from fotfeste.push import outbox
from tests.api.conftest import Person, sign_up
from tests.api.push_support import push_service, run_in_server, subscribe, tick
from tests.conftest import DEFAULT_NOW, LiveServer
from tests.push_fake import FakePushService, b64, unb64


def outbox_rows(server: LiveServer) -> int:
    [(count,)] = server.query("SELECT count(*) FROM push_outbox")
    return int(count)


def subscription_count(server: LiveServer, account_id: str) -> int:
    [(count,)] = server.query(
        "SELECT count(*) FROM push_subscriptions WHERE account_id = ?", (account_id,)
    )
    return int(count)


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


@pytest.mark.slow
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
