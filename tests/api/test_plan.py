"""The relapse-prevention plan and treatment status over HTTP: ownership, validation, export."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.conftest import Person
from tests.conftest import LiveServer


def _id() -> str:
    return str(uuid.uuid4())


def _full_plan() -> dict[str, Any]:
    return {
        "warning_signs": [{"id": _id(), "text": "Sleeping badly"}, {"id": _id(), "text": "Lying"}],
        "high_risk_situations": [{"id": _id(), "text": "Friday pay day"}],
        "coping_actions": [{"id": _id(), "text": "Walk round the lake"}],
        "reasons": [{"id": _id(), "text": "My daughter"}],
        "people": [{"id": _id(), "name": "Mor", "phone": "+47 912 34 567"}],
    }


def test_an_empty_plan_to_begin_with(person: Person) -> None:
    plan = person.get("/api/plan").json()
    assert plan == {
        "warning_signs": [],
        "high_risk_situations": [],
        "coping_actions": [],
        "reasons": [],
        "people": [],
        "updated_at": None,
    }


def test_put_whole_plan_keeps_order_and_replaces(person: Person) -> None:
    body = _full_plan()
    answer = person.put("/api/plan", json=body)
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert [e["text"] for e in plan["warning_signs"]] == ["Sleeping badly", "Lying"]
    assert plan["people"][0] == {
        "id": body["people"][0]["id"],
        "name": "Mor",
        "phone": "+47 912 34 567",
        "dial": "+4791234567",
    }
    assert plan["updated_at"] is not None
    # Replaying the same write is harmless; a shorter plan drops what is gone.
    assert person.put("/api/plan", json=body).json()["warning_signs"] == plan["warning_signs"]
    body["warning_signs"].reverse()
    body["people"] = []
    again = person.put("/api/plan", json=body).json()
    assert [e["text"] for e in again["warning_signs"]] == ["Lying", "Sleeping badly"]
    assert again["people"] == []
    assert person.get("/api/plan").json() == again


def test_entries_one_at_a_time(person: Person) -> None:
    first, second = _id(), _id()
    made = person.put(
        f"/api/plan/entries/{first}", json={"section": "coping_actions", "text": " Tea "}
    )
    assert made.status_code == 200
    assert made.json()["text"] == "Tea" and made.json()["position"] == 0
    person.put(f"/api/plan/entries/{second}", json={"section": "coping_actions", "text": "Run"})
    assert person.get(f"/api/plan/entries/{second}").json()["position"] == 1
    # Changing the text keeps the place; a retry does not duplicate.
    person.put(
        f"/api/plan/entries/{first}", json={"section": "coping_actions", "text": "Green tea"}
    )
    person.put(
        f"/api/plan/entries/{first}", json={"section": "coping_actions", "text": "Green tea"}
    )
    coping = person.get("/api/plan").json()["coping_actions"]
    assert [e["text"] for e in coping] == ["Green tea", "Run"]
    assert person.delete(f"/api/plan/entries/{first}").status_code == 204
    assert person.delete(f"/api/plan/entries/{first}").status_code == 404
    assert person.get(f"/api/plan/entries/{first}").status_code == 404


def test_people_one_at_a_time(person: Person) -> None:
    pid = _id()
    made = person.put(f"/api/plan/people/{pid}", json={"name": "Sponsor", "phone": "070-123 45 67"})
    assert made.status_code == 200
    assert made.json()["dial"] == "0701234567"
    assert person.get(f"/api/plan/people/{pid}").json()["name"] == "Sponsor"
    assert person.get("/api/plan").json()["people"][0]["id"] == pid
    assert person.delete(f"/api/plan/people/{pid}").status_code == 204
    assert person.get(f"/api/plan/people/{pid}").status_code == 404


def test_another_account_gets_404(person_factory: Callable[..., Person]) -> None:
    owner, other = person_factory(), person_factory()
    entry, contact = _id(), _id()
    owner.put(f"/api/plan/entries/{entry}", json={"section": "reasons", "text": "My health"})
    owner.put(f"/api/plan/people/{contact}", json={"name": "Kim", "phone": "+4512345678"})
    for path in (f"/api/plan/entries/{entry}", f"/api/plan/people/{contact}"):
        assert other.get(path).status_code == 404
        assert other.delete(path).status_code == 404
        assert owner.get(path).status_code == 200
    assert other.get("/api/plan").json()["reasons"] == []
    # The same client id in another account is that account's own line, not the owner's.
    other.put(f"/api/plan/entries/{entry}", json={"section": "reasons", "text": "Mine"})
    assert owner.get(f"/api/plan/entries/{entry}").json()["text"] == "My health"
    other.put("/api/plan", json={})
    assert owner.get("/api/plan").json()["reasons"][0]["text"] == "My health"


def test_plan_needs_a_token(http: Any) -> None:
    assert http.get("/api/plan").status_code == 401
    assert http.put("/api/plan", json={}).status_code == 401
    assert http.get("/api/treatment").status_code == 401


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/plan/entries/{id}", {"section": "dreams", "text": "x"}, "section"),
        ("/api/plan/entries/{id}", {"section": "reasons", "text": ""}, "text"),
        ("/api/plan/entries/{id}", {"section": "reasons", "text": "   "}, "text"),
        ("/api/plan/entries/{id}", {"section": "reasons", "text": "x" * 301}, "text"),
        ("/api/plan/entries/{id}", {"section": "reasons", "text": "x", "mood": 3}, "mood"),
        ("/api/plan/entries/{id}", {"section": "reasons"}, "text"),
        ("/api/plan/entries/{id}", {"section": "reasons", "text": "x", "position": -1}, "position"),
        ("/api/plan/entries/bad id!", {"section": "reasons", "text": "x"}, "entry_id"),
        ("/api/plan/people/{id}", {"name": "Mum", "phone": "call her"}, "phone"),
        ("/api/plan/people/{id}", {"name": "Mum", "phone": "12"}, "phone"),
        ("/api/plan/people/{id}", {"name": " ", "phone": "112"}, "name"),
        ("/api/plan/people/{id}", {"name": "x" * 61, "phone": "112"}, "name"),
        ("/api/plan", {"reasons": [{"id": "abcdefgh", "text": ""}]}, "text"),
        ("/api/plan", {"reasons": [{"id": "abcdefgh", "text": "  "}]}, "reasons.text"),
        ("/api/plan", {"people": [{"id": "abcdefgh", "name": "A", "phone": "x"}]}, "people.phone"),
        # A NUL character cannot be stored on PostgreSQL: refused on both databases alike.
        ("/api/plan/entries/{id}", {"section": "reasons", "text": "my\u0000kids"}, "text"),
        ("/api/plan/people/{id}", {"name": "Mu\u0000m", "phone": "112"}, "name"),
        ("/api/plan", {"reasons": [{"id": "abcdefgh", "text": "\u0000 x"}]}, "reasons.text"),
        ("/api/plan", {"wishes": []}, "wishes"),
        ("/api/plan", {"reasons": [{"id": "x", "text": "short id"}]}, "id"),
        (
            "/api/plan",
            {
                "reasons": [{"id": "abcdefgh", "text": "a"}],
                "coping_actions": [{"id": "abcdefgh", "text": "b"}],
            },
            "id",
        ),
        ("/api/plan", {"reasons": [{"id": _id(), "text": "x"}] * 31}, "reasons"),
        ("/api/treatment", {"status": "cured"}, "status"),
        ("/api/treatment", {"status": "waiting", "since": "2099-01-01"}, "since"),
        ("/api/treatment", {"status": "waiting", "since": "last week"}, "since"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field(
    person: Person, path: str, body: dict[str, Any], field: str
) -> None:
    answer = person.put(path.replace("{id}", _id()), json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"]
    assert field in answer.text


def test_a_section_holds_at_most_thirty_lines(person: Person) -> None:
    lines = [{"id": _id(), "text": f"sign {n}"} for n in range(30)]
    assert person.put("/api/plan", json={"warning_signs": lines}).status_code == 200
    extra = person.put(f"/api/plan/entries/{_id()}", json={"section": "warning_signs", "text": "x"})
    assert extra.status_code == 400 and "at most 30" in extra.json()["detail"]
    # Changing an existing line is still fine at the limit.
    changed = person.put(
        f"/api/plan/entries/{lines[0]['id']}", json={"section": "warning_signs", "text": "new"}
    )
    assert changed.status_code == 200


def test_export_includes_the_plan_and_delete_removes_it(
    person_factory: Callable[..., Person], live_server: LiveServer
) -> None:
    person = person_factory()
    person.put("/api/plan", json=_full_plan())
    person.put("/api/treatment", json={"status": "waiting"})
    tables = person.get("/api/me/export").json()["tables"]
    assert {row["text"] for row in tables["plan_entries"]} >= {"Lying", "My daughter"}
    assert tables["plan_people"][0]["phone"] == "+47 912 34 567"
    assert tables["treatment_status"][0]["status"] == "waiting"

    assert person.delete("/api/me").status_code == 204
    for table in ("plan_entries", "plan_people", "treatment_status"):
        [(count,)] = live_server.query(
            f"SELECT count(*) FROM {table} WHERE account_id = ?", (person.account_id,)
        )
        assert count == 0, table


def test_clear_plan(person: Person) -> None:
    person.put("/api/plan", json=_full_plan())
    assert person.delete("/api/plan").status_code == 204
    assert person.get("/api/plan").json()["updated_at"] is None


def test_waiting_list_mode_starts_and_ends(person_factory: Callable[..., Person]) -> None:
    person = person_factory(timezone="Europe/Oslo")
    assert person.get("/api/treatment").json() == {
        "status": "none",
        "since": None,
        "waiting_mode": False,
        "programme_switched_to": None,
    }
    waiting = person.put("/api/treatment", json={"status": "waiting", "since": "2026-02-01"})
    assert waiting.status_code == 200
    assert waiting.json()["waiting_mode"] is True and waiting.json()["since"] == "2026-02-01"
    assert waiting.json()["programme_switched_to"] == "waiting-list"
    programme = person.get("/api/me/programme").json()
    assert (programme["programme"], programme["start_date"]) == ("waiting-list", "2026-02-01")

    started = person.put("/api/treatment", json={"status": "in_treatment"}).json()
    assert started["waiting_mode"] is False
    assert started["since"] == "2026-03-16"  # today in Oslo by the test clock
    assert started["programme_switched_to"] == "aftercare"
    assert person.get("/api/treatment").json()["status"] == "in_treatment"
    assert person.get("/api/me/programme").json()["programme"] == "aftercare"
    # Saying the same again changes nothing.
    again = person.put("/api/treatment", json={"status": "in_treatment"}).json()
    assert again["programme_switched_to"] is None
