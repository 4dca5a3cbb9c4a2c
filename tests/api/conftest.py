"""Fixtures for API tests: anonymous accounts as a client would make them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer


@dataclass
class Person:
    """An account and an HTTP client that sends its token."""

    account_id: str
    token: str
    recovery_code: str
    client: httpx.Client

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.post(path, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.put(path, **kw)

    def patch(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.patch(path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.delete(path, **kw)


def sign_up(base_url: str, **fields: Any) -> Person:
    body = {"role": "self", "locale": "en", "timezone": "Europe/Stockholm", **fields}
    answer = httpx.post(f"{base_url}/api/accounts", json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    data = answer.json()
    client = httpx.Client(
        base_url=base_url, timeout=10, headers={"Authorization": f"Bearer {data['token']}"}
    )
    return Person(data["account_id"], data["token"], data["recovery_code"], client)


@pytest.fixture
def person_factory(live_server: LiveServer) -> Iterator[Callable[..., Person]]:
    made: list[Person] = []

    def make(**fields: Any) -> Person:
        person = sign_up(live_server.url, **fields)
        made.append(person)
        return person

    yield make
    for person in made:
        person.client.close()


@pytest.fixture
def person(person_factory: Callable[..., Person]) -> Person:
    return person_factory()


from tests.api.push_support import fake_push  # noqa: E402, F401 - the fake push service fixture
