"""Attacks on input shapes: JSON nested thousands deep on every route, a country that isn't one."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.api.conftest import Person
from tests.api.openapi_walk import operations

DEEP_ARRAY = b"[" * 20_000
DEEP_OBJECT = b'{"a":' * 10_000  # 50 KB: under the body limit


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["arrays", "objects"])
def test_deeply_nested_json_is_400_on_every_json_route(
    person: Person, http: httpx.Client, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    writes = [op for op in operations(http) if op.method in {"POST", "PUT", "PATCH"}]
    assert len(writes) > 10  # the walk found the API
    caplog.set_level(logging.INFO)
    answers = {}
    for op in writes:
        answer = person.client.request(
            op.method,
            op.fill({"day": "2026-03-16"}),
            content=body,
            headers={"Content-Type": "application/json"},
        )
        answers[f"{op.method} {op.path}"] = answer
        assert answer.status_code < 500, (op.path, answer.status_code, answer.text)
    # Routes that read a body say why they refused it; none answered with a server error.
    refused = [a for a in answers.values() if a.status_code == 400]
    assert len(refused) > 10
    for answer in refused:
        assert answer.json()["detail"]
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert "Traceback" not in caplog.text


def test_deeply_nested_json_on_the_checkin_fast_path(person: Person) -> None:
    answer = person.put(
        "/api/checkins/2026-03-16", content=DEEP_ARRAY, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    assert "nested" in answer.json()["detail"] or "JSON" in answer.json()["detail"]


@pytest.mark.parametrize("country", ["XX", "ZZ", "QQ", "AA"])
def test_a_country_that_is_not_one_is_refused(
    person: Person, http: httpx.Client, country: str
) -> None:
    before = person.get("/api/me").json()["country"]
    answer = person.patch("/api/me", json={"country": country})
    assert answer.status_code == 400, answer.text
    assert "country" in answer.text
    assert person.get("/api/me").json()["country"] == before
    created = http.post(
        "/api/accounts",
        json={"role": "self", "locale": "en", "timezone": "Europe/Oslo", "country": country},
    )
    assert created.status_code == 400, created.text
    assert "country" in created.text


def test_real_countries_are_still_accepted(person: Person) -> None:
    for country in ("SE", "NO", "DK", "FI", "IS", "DE", "FO", "GL"):
        answer = person.patch("/api/me", json={"country": country})
        assert answer.status_code == 200, answer.text
        assert answer.json()["country"] == country
    assert person.patch("/api/me", json={"country": None}).json()["country"] is None
