"""Per-account write quotas: a signed-in script is stopped with 429 and Retry-After long before
it fills the database, while a person's ordinary use never meets a limit."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from fotfeste.clock import FixedClock
from fotfeste.meetings.logic import meeting_id
from tests.api.conftest import Person, sign_up
from tests.api.meetings_fixtures import FEED, run_import, write_feed
from tests.conftest import LiveServer

CHECKUP = {"instrument": "checkup", "answers": {"1": 5, "2": 3, "3": 6}}


def _burst(
    person: Person, count: int, send: Callable[[httpx.Client, int], httpx.Response]
) -> list[httpx.Response]:
    """`count` requests from 8 connections at once, as a script would send them."""
    headers = {"Authorization": f"Bearer {person.token}"}
    clients = [
        httpx.Client(base_url=str(person.client.base_url), headers=headers, timeout=30)
        for _ in range(8)
    ]
    try:
        with ThreadPoolExecutor(8) as pool:
            return list(pool.map(lambda n: send(clients[n % 8], n), range(count)))
    finally:
        for client in clients:
            client.close()


@pytest.mark.slow
def test_two_thousand_responses_in_a_burst_are_stopped(
    person: Person, person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    answers = _burst(person, 2000, lambda c, _: c.post("/api/responses", json=CHECKUP))
    codes = Counter(a.status_code for a in answers)
    assert set(codes) == {201, 429}, codes
    assert codes[201] == 20  # FOTFESTE_MAX_RESPONSES_PER_DAY: one questionnaire, one day
    refused = next(a for a in answers if a.status_code == 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["detail"]
    stored = person.get("/api/responses", params={"instrument": "checkup"}).json()
    assert len(stored["responses"]) == 20
    # Nobody else is held back, and the next day the person may answer again.
    other = person_factory()
    assert other.post("/api/responses", json=CHECKUP).status_code == 201
    clock.advance(timedelta(days=1))
    answer = person.post("/api/responses", json=CHECKUP)
    assert answer.status_code in (201, 429)  # the per-minute quota may still be running
    if answer.status_code == 429:
        assert int(answer.headers["Retry-After"]) <= 60


def test_a_retry_of_a_stored_response_is_answered_even_at_the_days_cap(person: Person) -> None:
    first = {**CHECKUP, "client_id": str(uuid.uuid4())}
    assert person.post("/api/responses", json=first).status_code == 201
    for _ in range(19):
        assert person.post("/api/responses", json=CHECKUP).status_code == 201
    assert person.post("/api/responses", json=CHECKUP).status_code == 429
    again = person.post("/api/responses", json=first)  # a phone replaying what it sent
    assert again.status_code == 201, again.text


def test_writes_per_minute_are_limited_per_account_and_kind(
    person: Person, person_factory: Callable[..., Person]
) -> None:
    entry = str(uuid.uuid4())
    answers = _burst(
        person,
        300,
        lambda c, n: c.put(
            f"/api/plan/entries/{entry}", json={"section": "reasons", "text": f"line {n}"}
        ),
    )
    codes = Counter(a.status_code for a in answers)
    assert codes == {200: 120, 429: 180}, codes  # FOTFESTE_QUOTA_WRITES_MINUTE = 120/60
    refused = next(a for a in answers if a.status_code == 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "wait" in refused.json()["detail"]
    # Another kind of write of the same account, and the same kind of another account, go on.
    assert person.put("/api/checkins/2026-03-16", json={"used": False}).status_code == 200
    other = person_factory()
    assert (
        other.put(
            f"/api/plan/entries/{entry}", json={"section": "reasons", "text": "x"}
        ).status_code
        == 200
    )


def test_checkins_have_a_quota_on_the_fast_path_too(person: Person) -> None:
    answers = _burst(
        person, 200, lambda c, n: c.put("/api/checkins/2026-03-15", json={"used": n % 2 == 0})
    )
    codes = Counter(a.status_code for a in answers)
    assert codes == {200: 120, 429: 80}, codes
    assert int(next(a for a in answers if a.status_code == 429).headers["Retry-After"]) >= 1


@pytest.mark.slow
def test_a_day_holds_a_limited_number_of_meetings(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    data_dir = tmp_path / "server"
    feed = write_feed(tmp_path / "feed.json", FEED)
    done = run_import(data_dir, str(feed), "--format", "meeting-guide", "--source", "quota")
    assert done.returncode == 0, done.stderr
    server = server_factory(data_dir=data_dir, max_attendance_per_day=2)
    person = sign_up(server.url)
    monday, tuesday = meeting_id("quota", "sthlm-monday"), meeting_id("quota", "sthlm-tuesday")
    went = [
        person.post("/api/me/attendance", json={"date": "2026-03-16"}),
        person.post("/api/me/attendance", json={"date": "2026-03-16", "meeting_id": monday}),
    ]
    assert [a.status_code for a in went] == [201, 201], [a.text for a in went]
    third = person.post("/api/me/attendance", json={"date": "2026-03-16", "meeting_id": tuesday})
    assert third.status_code == 409, third.text
    assert third.json()["extra"][0]["key"] == "date"
    replay = person.post("/api/me/attendance", json={"date": "2026-03-16", "meeting_id": monday})
    assert replay.status_code == 201  # sending it again changes nothing and is no error
    other_day = person.post(
        "/api/me/attendance", json={"date": "2026-03-15", "meeting_id": tuesday}
    )
    assert other_day.status_code == 201
    log = person.get("/api/me/attendance", params={"from": "2026-03-15", "to": "2026-03-16"})
    assert len(log.json()["attendance"]) == 3
    person.client.close()
