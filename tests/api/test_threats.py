"""The threat model (deploy/THREAT_MODEL.md) as tests: each mitigation a client could notice."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from fotfeste.settings import RateLimit
from tests.api.conftest import Person, sign_up
from tests.api.openapi_walk import operations
from tests.conftest import LiveServer


def test_a_thief_with_the_phone_cannot_read_the_recovery_code(person: Person) -> None:
    """The code is shown once; afterwards the server holds only an argon2 hash of its secret."""
    code = person.recovery_code
    compact = code.replace("-", "")
    for path in ("/api/me", "/api/me/export", "/api/me/devices"):
        text = person.get(path).text
        assert code not in text and compact not in text, path
        assert "argon2" not in text and "recovery_hash" not in text, path


def test_a_curious_relative_sees_nothing_of_the_person(
    http: httpx.Client, person_factory: Callable[..., Person]
) -> None:
    """Every GET route, read with the relative's own token, shows nothing of the person's."""
    person = person_factory(locale="sv")
    person.patch("/api/me", json={"discreet": True})
    relative = person_factory(role="relative", locale="sv")
    for op in operations(http):
        if op.method != "GET" or op.path_params:
            continue  # id routes: test_id_probing.py
        answer = relative.get(op.fill())
        assert person.account_id not in answer.text, op.path
        assert person.token not in answer.text, op.path


def test_a_brute_forcer_gets_nothing_even_with_the_right_code_once_limited(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_recover=RateLimit(3, 900))
    owner = sign_up(server.url)
    with httpx.Client(base_url=server.url) as client:
        for i in range(3):
            wrong = f"{i:04d}-0000-0000-0000-0000-0000"
            assert (
                client.post("/api/accounts/recover", json={"recovery_code": wrong}).status_code
                == 401
            )
        right = client.post("/api/accounts/recover", json={"recovery_code": owner.recovery_code})
    assert right.status_code == 429  # the limit is not a hint that the guess was right
    assert owner.get("/api/me").status_code == 200  # and the owner is still signed in
    owner.client.close()


MALICIOUS_ENDPOINTS = [
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://10.0.0.1/push",  # the private network
    "https://localhost/push",
    "http://fcm.googleapis.com/fcm/send/x",  # plain http to an allowed host
    "https://fcm.googleapis.com.evil.example/fcm/send/x",  # allowed host as a prefix
    "https://evil.example/?h=fcm.googleapis.com",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("endpoint", MALICIOUS_ENDPOINTS)
def test_a_malicious_subscription_endpoint_is_refused(
    http: httpx.Client, person: Person, endpoint: str
) -> None:
    keys = {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1Xbjha"
        "zAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    }
    answer = person.post("/api/push/subscriptions", json={"endpoint": endpoint, "keys": keys})
    assert answer.status_code == 400, f"{endpoint}: {answer.status_code}"
    assert "detail" in answer.json()
