"""Secrets (tokens, recovery codes) and personal values never reach a log, at any level."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import httpx
import pytest

from tests.api.conftest import Person
from tests.api.push_support import subscribe, tick
from tests.conftest import LiveServer
from tests.push_fake import FakePushService


def _server_log(caplog: pytest.LogCaptureFixture) -> str:
    # The test's own HTTP client logs its URLs; everything else is the server's.
    records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    return "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in records)


def test_tokens_and_recovery_codes_are_never_logged(
    http: httpx.Client, person: Person, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        created = http.post(
            "/api/accounts", json={"role": "relative", "locale": "sv", "timezone": "Europe/Oslo"}
        ).json()
        renewed = person.post("/api/me/recovery-code").json()["recovery_code"]
        recovered = http.post(
            "/api/accounts/recover", json={"recovery_code": renewed, "keep_other_devices": True}
        ).json()
        http.post("/api/accounts/recover", json={"recovery_code": "0000-0000-0000-0000-0000-0000"})
        person.get("/api/me/export")
        http.get("/api/me", headers={"Authorization": f"Bearer {person.token}x"})
        person.patch("/api/me", json={"timezone": "Not/AZone"})
        today = person.get("/api/me").json()["today"]
        person.put(f"/api/checkins/{today}", json={"used": True, "note": "PRIVATE-NOTE-4711"})
        person.put("/api/checkins/not-a-day", json={"used": True, "note": "PRIVATE-NOTE-4712"})
    text = _server_log(caplog)
    assert "POST /api/accounts/recover 200" in text  # the access log did run
    secrets = [
        created["token"],
        created["recovery_code"],
        created["account_id"],
        renewed,
        recovered["token"],
        recovered["recovery_code"],
        person.token,
        person.account_id,
        "Not/AZone",
        "PRIVATE-NOTE-4711",
        "PRIVATE-NOTE-4712",
        today,
    ]
    for secret in secrets:
        assert secret not in text


def test_server_errors_log_no_request_values(
    http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        http.post("/api/accounts/recover", content=b'{"recovery_code": "SECRET-VALUE-1234"')
        http.get("/api/me?token=SECRET-QUERY-5678")
    text = _server_log(caplog)
    assert "SECRET-VALUE" not in text and "SECRET-QUERY" not in text


def test_push_endpoints_are_never_logged(
    person: Person,
    live_server: LiveServer,
    fake_push: FakePushService,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        sub = subscribe(person, fake_push)
        assert person.post("/api/push/test").json() == {"queued": 1}
        tick(live_server)
        assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    path = urlsplit(sub.endpoint).path
    # Every logger this time, the HTTP clients' too: the sender posts with httpx.
    assert [r.getMessage() for r in caplog.records if path in r.getMessage()] == []
