"""The fast path of PUT /api/checkins/{day} never changes an answer; it only answers sooner.

Every kind of request is sent twice: as the PWA sends it (`content-type: application/json`, which
the fast path takes when it can) and with a charset parameter (which only the route itself
answers). Status, headers and body must be the same. A second test puts the wrapper in front of
a stand-in for the route to show it answers the plain case itself and hands everything else on,
untouched. tests/unit/test_fast_checkin_route.py: it refuses to skip what the route has.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from fotfeste.recovery.fast import FastCheckins
from tests.api.conftest import Person
from tests.api.push_support import run_in_server
from tests.conftest import LiveServer

FAST = "application/json"
ROUTE_ONLY = "application/json; charset=utf-8"


def _today(server: LiveServer) -> date:
    return server.clock.now().astimezone(ZoneInfo("Europe/Stockholm")).date()


def _cases(today: date) -> list[tuple[str, str, str, bytes]]:
    """(what, token kind, day, body)."""

    def body(**fields: Any) -> bytes:
        return json.dumps(fields).encode()

    yesterday = (today - timedelta(days=1)).isoformat()
    return [
        ("drug-free today", "valid", today.isoformat(), body(used=False, craving=3, mood=4)),
        ("a note and no craving", "valid", yesterday, body(used=False, note="Långt pass – bra")),
        (
            "use, substances out of order and twice",
            "valid",
            yesterday,
            body(used=True, substances=["opioids", "alcohol", "opioids"]),
        ),
        ("substances without use", "valid", yesterday, body(used=False, substances=["alcohol"])),
        ("tomorrow", "valid", (today + timedelta(days=1)).isoformat(), body(used=False)),
        ("three years back", "valid", (today - timedelta(days=3 * 365)).isoformat(), b"{}"),
        ("not in the calendar", "valid", "2026-02-30", body(used=False)),
        ("not a date", "valid", "yesterday", body(used=False)),
        ("a path below a day", "valid", f"{yesterday}/more", body(used=False)),
        ("broken JSON", "valid", yesterday, b'{"used": fal'),
        ("no body", "valid", yesterday, b""),
        ("a list, not an object", "valid", yesterday, b"[]"),
        ("an unknown field", "valid", yesterday, body(used=False, mood=3, colour="blue")),
        ("craving 11", "valid", yesterday, body(used=False, craving=11)),
        ("mood 0", "valid", yesterday, body(used=False, mood=0)),
        ("an unknown substance", "valid", yesterday, body(used=True, substances=["tea"])),
        ("a note of 2001 characters", "valid", yesterday, body(used=False, note="x" * 2001)),
        ("used as a string", "valid", yesterday, body(used="false")),
        ("too large", "valid", yesterday, body(used=False, note="x" * 70_000)),
        ("too large, though plain", "valid", yesterday, body(used=False) + b" " * 70_000),
        ("no token", "none", yesterday, body(used=False)),
        ("no token, broken JSON", "none", yesterday, b'{"used": fal'),  # 401, not 400
        ("a wrong token", "wrong", yesterday, body(used=False)),
        ("not a bearer token", "basic", yesterday, body(used=False)),
        ("two tokens, the first wrong", "wrong, then valid", yesterday, body(used=False)),
    ]


def _auth(person: Person, kind: str) -> list[tuple[str, str]]:
    valid = ("authorization", f"Bearer {person.token}")
    return {
        "valid": [valid],
        "wrong": [("authorization", "Bearer not-a-token")],
        "basic": [("authorization", f"Basic {person.token}")],
        "wrong, then valid": [("authorization", "Bearer not-a-token"), valid],
        "none": [],
    }[kind]


def _seen(answer: httpx.Response) -> tuple[int, dict[str, str], Any]:
    headers = {k: v for k, v in answer.headers.items() if k not in {"date", "content-length"}}
    try:
        content: Any = answer.json()
    except ValueError:
        content = answer.text
    return answer.status_code, headers, content


def test_each_kind_of_check_in_gets_the_same_answer_from_the_fast_path_and_the_route(
    person: Person, http: httpx.Client, live_server: LiveServer
) -> None:
    statuses = set()
    last_saved: dict[str, Any] = {}
    for what, token, day, body in _cases(_today(live_server)):
        answers = []
        for content_type in (FAST, ROUTE_ONLY):
            headers = [("content-type", content_type), *_auth(person, token)]
            answers.append(_seen(http.put(f"/api/checkins/{day}", content=body, headers=headers)))
        assert answers[0] == answers[1], what
        statuses.add(answers[0][0])
        if token == "none":  # without a token, nothing about the body is looked at
            assert answers[0][0] == 401, what
        if answers[0][0] == 200:
            last_saved[day] = answers[0][2]
    assert statuses == {200, 400, 401, 404, 413}  # the table reaches every kind of answer
    # What was saved last for each day is what the history holds, once each.
    days = sorted(last_saved)
    history = person.get("/api/checkins", params={"from": days[0], "to": days[-1]}).json()
    assert history["checkins"] == [last_saved[day] for day in days]


def test_the_fast_path_answers_the_plain_case_and_hands_on_the_rest(
    person: Person, live_server: LiveServer
) -> None:
    app = live_server._server.config.app
    (real,) = app.layers
    assert isinstance(real, FastCheckins)
    handed_on: list[str] = []

    async def the_route(scope: Any, receive: Any, send: Any) -> None:
        handed_on.append(scope["path"])
        await send({"type": "http.response.start", "status": 599, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    # The same wrapper in front of a stand-in for the route, to see what reaches the route.
    fast = FastCheckins(app, the_route)

    def put(token: str, day: str, body: bytes, content_type: str = FAST) -> tuple[int, bytes]:
        headers = [(b"content-type", content_type.encode())]
        headers += [(k.encode(), v.encode()) for k, v in _auth(person, token)]
        scope = {"type": "http", "method": "PUT", "path": f"/api/checkins/{day}"}
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        run_in_server(live_server, fast({**scope, "headers": headers}, receive, send))
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    today = _today(live_server)
    for what, token, day, body in _cases(today):
        handed_on.clear()
        status, _ = put(token, day, body)
        plain = what in {"drug-free today", "a note and no craving"} or what.startswith("use,")
        assert (status == 200) == plain, what
        assert handed_on == ([] if plain else [f"/api/checkins/{day}"]), what
    status, written = put("valid", today.isoformat(), b'{"used": true, "substances": ["cannabis"]}')
    assert status == 200 and json.loads(written)["substances"] == ["cannabis"]
    assert person.get("/api/progress").json()["recent"][-1] == {
        "date": today.isoformat(),
        "status": "used",
    }
    handed_on.clear()
    assert put("valid", today.isoformat(), b'{"used": false}', content_type=ROUTE_ONLY)[0] == 599
    assert handed_on == [f"/api/checkins/{today.isoformat()}"]


@pytest.mark.parametrize("content_type", [FAST, ROUTE_ONLY])
def test_a_revoked_token_is_refused_on_either_path(
    person_factory: Any, live_server: LiveServer, content_type: str
) -> None:
    person = person_factory()
    day = _today(live_server).isoformat()
    headers = {"content-type": content_type}

    def check_in() -> httpx.Response:
        return person.put(f"/api/checkins/{day}", content=b'{"used": false}', headers=headers)

    assert check_in().status_code == 200
    assert person.delete("/api/me").status_code == 204
    assert check_in().status_code == 401
