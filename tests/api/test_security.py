"""Security headers on every response; throttled public endpoints; logs without addresses."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from fotfeste.settings import RateLimit
from tests.api.conftest import Person, sign_up
from tests.conftest import LiveServer, make_settings

REQUIRED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/health"),
        ("GET", "/api/me"),  # 401
        ("GET", "/api/nope"),  # 404
        ("POST", "/api/accounts"),  # 400
        ("GET", "/schema/openapi.json"),
        ("GET", "/"),
        ("GET", "/does-not-exist.js"),
    ],
)
def test_headers_on_every_response(http: httpx.Client, method: str, path: str) -> None:
    answer = http.request(method, path)
    for name, value in REQUIRED.items():
        assert answer.headers[name] == value
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "permissions-policy" in answer.headers
    if path.startswith("/api/"):
        assert answer.headers["cache-control"] == "no-store"


def test_thirty_wrong_recovery_codes_meet_429(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(rate_recover=RateLimit(10, 900))
    statuses = []
    with httpx.Client(base_url=server.url) as client:
        for i in range(30):
            code = f"{i:04d}-0000-0000-0000-0000-0000"
            statuses.append(client.post("/api/accounts/recover", json={"recovery_code": code}))
    codes = [answer.status_code for answer in statuses]
    assert set(codes[:10]) == {401}
    assert 429 in codes
    refused = next(a for a in statuses if a.status_code == 429)
    assert int(refused.headers["retry-after"]) > 0
    assert "try again" in refused.json()["detail"].lower()


def test_account_creation_is_throttled(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(rate_account_create=RateLimit(3, 3600))
    for _ in range(3):
        sign_up(server.url)
    refused = httpx.post(
        f"{server.url}/api/accounts", json={"role": "self", "locale": "en", "timezone": "UTC"}
    )
    assert refused.status_code == 429


def test_logs_hold_no_address_or_account_id(
    person: Person, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        person.get("/api/me")
        person.patch("/api/me", json={"discreet": True})
        http.post("/api/accounts", content=b"{broken")
    # Everything the server side logged (the test's own HTTP client logs its URLs; skip those).
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(record.getMessage() for record in server_side)
    assert "GET /api/me 200" in text  # the access log is on ...
    assert "127.0.0.1" not in text  # ... and holds neither the address ...
    assert person.account_id not in text  # ... nor the account
    assert person.token not in text


def test_settings_for_tests_are_separate() -> None:
    assert make_settings(data_dir=__import__("pathlib").Path("x")).demo is False


def test_at_info_the_log_has_error_lines_and_a_summary_not_every_request(
    server_factory: Callable[..., LiveServer], caplog: pytest.LogCaptureFixture
) -> None:
    server = server_factory()
    person = sign_up(server.url)
    with caplog.at_level(logging.INFO, logger="fotfeste.access"):
        person.get("/api/me")
        person.put("/api/checkins/not-a-day", json={"used": False})
        person.put(f"/api/checkins/{server.clock.now().date()}", json={"used": False})  # fast path
        person.get("/api/no-such-route")  # answered before any route: counted all the same
        server.stop()  # the last summary is logged at shutdown
    lines = [r.getMessage() for r in caplog.records if r.name == "fotfeste.access"]
    assert "GET /api/me 200" not in "\n".join(lines)  # no line for an ordinary answer ...
    assert any(line.startswith("PUT /api/checkins/{day} 400 ") for line in lines)  # errors
    assert "GET /api/me: 1 (4xx 0, 5xx 0), p50 ≤ " in "\n".join(lines)  # ... and the summary
    assert "PUT /api/checkins/{day}: 2 (4xx 1, 5xx 0)" in "\n".join(lines)
    assert any(line.startswith("GET (unrouted) 404 ") for line in lines)
    assert "not-a-day" not in "\n".join(lines) and "no-such-route" not in "\n".join(lines)
