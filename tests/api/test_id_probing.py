"""Every route that takes an id, probed with a second account's token: 404, and nothing changes.

The routes come from the served OpenAPI document. Each path with a parameter needs an entry in
PROBES (how account A makes a real resource there, and valid bodies for writes) or in NOT_OWNED
(why the parameter is not another account's id). A new id route with neither fails the test, so
nobody forgets to prove its isolation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.api.conftest import Person, sign_up
from tests.api.openapi_walk import Operation, operations


@dataclass
class Probe:
    """The path values of A's real resource, and a valid body per method that writes."""

    values: dict[str, str]
    bodies: dict[str, Any] = field(default_factory=dict)


def _device(a: Person) -> Probe:
    devices = a.get("/api/me/devices").json()["devices"]
    return Probe({"device_id": devices[0]["id"]})


_KEYS = {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1Xbjha"
    "zAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


def _subscription(a: Person) -> Probe:
    body = {"endpoint": f"http://127.0.0.1/push/{a.account_id}", "keys": _KEYS}
    made = a.post("/api/push/subscriptions", json=body)
    assert made.status_code == 201, made.text
    return Probe({"subscription_id": made.json()["id"]})


def _supporter_link(a: Person) -> Probe:
    """A's link to a supporter of its own; probed from A's side and from the supporter's."""
    code = a.post("/api/supporters/invitations", json={}).json()["code"]
    supporter = sign_up(str(a.client.base_url))
    made = supporter.post("/api/supporting", json={"code": code})
    supporter.client.close()
    assert made.status_code == 201, made.text
    return Probe(
        {"link_id": made.json()["id"]},
        bodies={"POST": {"kind": "proud"}},
    )


# path template -> how account A creates a resource whose id goes into the path.
PROBES: dict[str, Callable[[Person], Probe]] = {
    "/api/me/devices/{device_id}": _device,
    "/api/push/subscriptions/{subscription_id}": _subscription,
    "/api/supporters/{link_id}": _supporter_link,
    "/api/supporting/{link_id}": _supporter_link,
    "/api/supporting/{link_id}/encouragements": _supporter_link,
}

# path template -> why its parameter is not an id of something an account owns.
NOT_OWNED: dict[str, str] = {
    "/api/checkins/{day}": "a date in the caller's own diary (natural key): another account's PUT "
    "writes its own check-in; test_a_natural_key_never_reaches_another_account proves it",
    "/api/meetings/{meeting_id}": "meetings are public, shared data (no account owns one)",
    "/api/meetings/{meeting_id}/calendar.ics": "meetings are public, shared data",
    "/api/me/favourites/{meeting_id}": "a shared meeting's id under the caller's own /api/me: "
    "test_favourites_and_attendance_stay_per_account proves another account's PUT/DELETE "
    "never touches the first account's favourite",
    "/api/reminders/{kind}": "a reminder kind (checkin, followup, …) of the caller's own "
    "reminders: test_a_natural_key_never_reaches_another_account",
    "/api/referrals/{code}": "a clinic's referral code, public by design (printed on a card); "
    "it names the clinic and programme, never a person",
    "/api/me/attendance/{on}": "a date in the caller's own attendance log (natural key): "
    "test_favourites_and_attendance_stay_per_account",
    "/api/articles/{locale}": "a language of the shared advice articles",
    "/api/articles/{locale}/{slug}": "a shared advice article (no account owns one)",
    "/fhir/Questionnaire/{stem}": "an instrument's FHIR Questionnaire: public, shared definitions",
    "/api/plan/entries/{entry_id}": "an id the phone made, scoped to the caller's own plan "
    "(primary key account_id + id): test_plan_ids_are_scoped_to_their_account",
    "/api/plan/people/{person_id}": "an id the phone made, scoped to the caller's own plan: "
    "test_plan_ids_are_scoped_to_their_account",
}


def _tables(person: Person) -> dict[str, Any]:
    """The person's export, less what a background job keeps up to date by itself whenever it
    runs: a supporter link's notified_milestone (the milestone producer's bookkeeping)."""
    tables: dict[str, Any] = person.get("/api/me/export").json()["tables"]
    for link in tables.get("supporter_links", []):
        link.pop("notified_milestone", None)
    return tables


def _id_operations(client: httpx.Client) -> dict[str, list[Operation]]:
    grouped: dict[str, list[Operation]] = {}
    for op in operations(client):
        if op.path_params:
            grouped.setdefault(op.path, []).append(op)
    return grouped


def test_every_id_route_has_a_probe(http: httpx.Client) -> None:
    unknown = sorted(set(_id_operations(http)) - set(PROBES) - set(NOT_OWNED))
    assert unknown == [], (
        "routes with an id that test_id_probing.py does not know how to probe; add each to "
        "PROBES (create A's resource) or NOT_OWNED (with the reason)"
    )
    assert not set(PROBES) & set(NOT_OWNED)


@pytest.mark.slow
def test_a_second_account_gets_404_on_every_id_route(
    http: httpx.Client, person_factory: Callable[..., Person]
) -> None:
    grouped = _id_operations(http)
    probed = 0
    for template, ops in grouped.items():
        if template not in PROBES:
            continue
        a, b = person_factory(), person_factory()
        probe = PROBES[template](a)
        before = _tables(a)
        for op in ops:
            answer = b.client.request(
                op.method, op.fill(probe.values), json=probe.bodies.get(op.method)
            )
            assert answer.status_code == 404, f"{op.method} {template}: {answer.status_code}"
            assert "detail" in answer.json()
            probed += 1
        # A's data is untouched, and A is still signed in.
        assert _tables(a) == before, template
        # An id that never existed answers exactly like A's: existence is never revealed.
        for op in ops:
            unknown = {name: "doesnotexist0000" for name in probe.values}
            answer = b.client.request(op.method, op.fill(unknown), json=probe.bodies.get(op.method))
            assert answer.status_code == 404, f"{op.method} {template} (unknown id)"
    assert probed >= 1


def test_a_natural_key_never_reaches_another_account(
    person_factory: Callable[..., Person],
) -> None:
    a, b = person_factory(), person_factory()
    day = a.get("/api/me").json()["today"]
    mine = {"used": False, "craving": 2, "mood": 4, "note": "A's own words"}
    assert a.put(f"/api/checkins/{day}", json=mine).status_code == 200
    before = a.get("/api/checkins", params={"from": day, "to": day}).json()
    assert b.put(f"/api/checkins/{day}", json={"used": True, "note": "B"}).status_code == 200
    assert a.get("/api/checkins", params={"from": day, "to": day}).json() == before
    theirs = b.get("/api/checkins", params={"from": day, "to": day}).json()["checkins"]
    assert [c["note"] for c in theirs] == ["B"]

    assert (
        a.put("/api/reminders/checkin", json={"enabled": True, "time": "20:30"}).status_code == 200
    )
    reminders = a.get("/api/reminders").json()
    assert b.put("/api/reminders/checkin", json={"enabled": False}).status_code == 200
    assert a.get("/api/reminders").json() == reminders


def test_favourites_and_attendance_stay_per_account(
    http: httpx.Client, person_factory: Callable[..., Person]
) -> None:
    a, b = person_factory(), person_factory()
    online = a.get("/api/meetings/online", params={"limit": 1}).json()["meetings"]
    if not online:
        nearby = a.get("/api/meetings/nearby", params={"lat": 59.33, "lon": 18.07}).json()
        online = nearby["meetings"]
    meeting_id = online[0]["id"] if online else None
    day = a.get("/api/me").json()["today"]
    if meeting_id is not None:
        assert a.put(f"/api/me/favourites/{meeting_id}").status_code == 200
    went = {"date": day, **({"meeting_id": meeting_id} if meeting_id else {})}
    assert a.post("/api/me/attendance", json=went).status_code == 201
    before = a.get("/api/me/export").json()["tables"]

    if meeting_id is not None:
        assert b.delete(f"/api/me/favourites/{meeting_id}").status_code == 204
        assert b.put(f"/api/me/favourites/{meeting_id}").status_code == 200
        assert b.delete(f"/api/me/favourites/{meeting_id}").status_code == 204
    b.delete(f"/api/me/attendance/{day}", params={"meeting_id": meeting_id} if meeting_id else {})
    assert a.get("/api/me/export").json()["tables"] == before
    assert b.get("/api/me/attendance").json()["attendance"] == []


def test_plan_ids_are_scoped_to_their_account(person_factory: Callable[..., Person]) -> None:
    a, b = person_factory(), person_factory()
    entry = {"section": "warning_signs", "text": "Skipping meals"}
    contact = {"name": "Sam", "phone": "+46 70 000 00 00"}
    assert a.put("/api/plan/entries/entry-0001", json=entry).status_code in {200, 201}
    assert a.put("/api/plan/people/person-0001", json=contact).status_code in {200, 201}
    before = a.get("/api/plan").json()
    # B cannot read or delete A's lines by their ids ...
    for path in ("/api/plan/entries/entry-0001", "/api/plan/people/person-0001"):
        assert b.get(path).status_code == 404
        assert b.delete(path).status_code in {204, 404}
    # ... and writing "the same" id makes B's own line, never touching A's.
    b_entry = b.put("/api/plan/entries/entry-0001", json={**entry, "text": "B"})
    b_person = b.put("/api/plan/people/person-0001", json={**contact, "name": "B"})
    assert (b_entry.status_code, b_person.status_code) in {(200, 200), (201, 201)}
    assert a.get("/api/plan").json() == before
    assert b.get("/api/plan/entries/entry-0001").json()["text"] == "B"
