"""Every unauthenticated route is rate limited, found by walking the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from fotfeste.settings import RateLimit
from tests.api.conftest import sign_up
from tests.api.openapi_walk import operations
from tests.conftest import LiveServer


def test_every_route_answers_429_to_an_anonymous_client_over_the_limit(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_public=RateLimit(4, 3600))
    person = sign_up(server.url)  # public hit 1
    with httpx.Client(base_url=server.url, timeout=10) as anonymous:
        ops = operations(anonymous)  # hit 2
        assert anonymous.get("/api/health").status_code == 200  # hit 3
        assert anonymous.get("/api/health").status_code == 200  # hit 4
        refused = []
        for op in ops:
            # A broken body: the limit comes before anything about the body, on every route.
            body = b"{broken" if op.method in {"POST", "PUT", "PATCH"} else None
            headers = {"content-type": "application/json"}
            answer = anonymous.request(op.method, op.fill(), content=body, headers=headers)
            if answer.status_code != 429:
                refused.append(f"{op.method} {op.path} -> {answer.status_code}")
            else:
                assert int(answer.headers["retry-after"]) > 0
                assert "try again" in answer.json()["detail"]
        assert refused == [], "routes an anonymous client can call without limit"
        # Guessing tokens is throttled as well ...
        guess = anonymous.get("/api/me", headers={"Authorization": "Bearer guessed-token"})
        assert guess.status_code == 429
    # ... while a signed-in person is not slowed down by the public limit, on routes that take
    # the account as a dependency and on the check-in's fast path.
    today = person.get("/api/progress").json()["today"]
    for _ in range(10):
        assert person.get("/api/me").status_code == 200
        assert person.put(f"/api/checkins/{today}", json={"used": False}).status_code == 200
    person.client.close()


def test_wrong_tokens_count_towards_the_limit(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(rate_public=RateLimit(5, 3600))
    with httpx.Client(base_url=server.url, timeout=10) as client:
        codes = [
            client.get("/api/me", headers={"Authorization": f"Bearer wrong-{i}"}).status_code
            for i in range(8)
        ]
    assert codes[:5] == [401] * 5
    assert set(codes[5:]) == {429}


def test_pwa_files_are_not_throttled(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(rate_public=RateLimit(1, 3600))
    with httpx.Client(base_url=server.url, timeout=10) as client:
        assert {client.get("/sw.js").status_code for _ in range(20)} == {200}


def test_staff_portal_without_a_session_is_throttled_too(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_public=RateLimit(3, 3600))
    with httpx.Client(base_url=server.url, timeout=10) as anonymous:
        codes = [anonymous.get("/staff/login").status_code for _ in range(3)]
        codes.append(anonymous.get("/staff/codes").status_code)  # before signing in
    cookies = {"fotfeste_staff": "guessed"}
    with httpx.Client(base_url=server.url, timeout=10, cookies=cookies) as guessing:
        guessed = guessing.get("/staff/outcomes")
    assert codes == [200, 200, 200, 429]
    assert guessed.status_code == 429
    assert int(guessed.headers["retry-after"]) > 0
