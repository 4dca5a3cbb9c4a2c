"""Fixtures for push and reminder tests: the fake push service and driving the server's sender."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from fotfeste.push.sender import PassReport, PushService
from tests.conftest import LiveServer
from tests.push_fake import FakePushService, Subscriber

if TYPE_CHECKING:  # conftest imports this module for its fixture
    from tests.api.conftest import Person


def push_service(server: LiveServer) -> PushService:
    service: PushService = server.shared("push")
    return service


def run_in_server(server: LiveServer, coroutine: Any) -> Any:
    """Run a coroutine on the server's own event loop (its database lives there)."""
    return server.run(coroutine)


def tick(server: LiveServer) -> PassReport:
    """What the background loops do: run the scheduler, then send everything due."""
    report: PassReport = run_in_server(server, push_service(server).tick())
    return report


@pytest.fixture(scope="session")
def fake_push(live_server: LiveServer) -> Iterator[FakePushService]:
    service = FakePushService(
        subject=live_server.settings.vapid_subject, now=live_server.clock.now
    ).start()
    yield service
    service.stop()


def subscribe(person: Person, fake: FakePushService) -> Subscriber:
    sub = fake.subscribe()
    answer = person.post("/api/push/subscriptions", json=sub.as_json())
    assert answer.status_code == 201, answer.text
    return sub
