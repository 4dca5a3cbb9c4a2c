"""Programmes and follow-ups over HTTP, with the server's clock moved through the months."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from fotfeste.clock import FixedClock
from fotfeste.db import Database
from fotfeste.scales.followups import checkup_outcomes, followups_for_account, set_programme
from tests.api.conftest import Person
from tests.conftest import LiveServer

CHECKUP = {"instrument": "checkup", "answers": {"1": 7, "2": 12, "3": 4}}


def statuses(person: Person) -> list[tuple[str, str, str]]:
    body = person.get("/api/followups").json()
    return [(f["key"], f["due_date"], f["status"]) for f in body["followups"]]


def test_default_aftercare_from_the_first_day_through_a_year(
    person: Person, clock: FixedClock
) -> None:
    # The account was made on 2026-03-16 (the fixed clock's day).
    assert person.get("/api/me/programme").json() == {
        "programme": "aftercare",
        "name": "Aftercare",
        "description": "A check-up when you start, then after 1, 3, 6 and 12 months.",
        "start_date": "2026-03-16",
        "chosen": False,
    }
    assert statuses(person) == [
        ("baseline", "2026-03-16", "due"),
        ("m1", "2026-04-16", "upcoming"),
        ("m3", "2026-06-16", "upcoming"),
        ("m6", "2026-09-16", "upcoming"),
        ("m12", "2027-03-16", "upcoming"),
    ]
    first = person.get("/api/followups").json()["followups"][0]
    assert first["instruments"] == ["checkup"]
    assert first["offered"] == ["audit", "dudit", "phq9", "gad7"]
    assert person.post("/api/responses", json=CHECKUP).status_code == 201
    assert statuses(person)[0][2] == "done"
    clock.advance(timedelta(days=30))  # 15 April: inside the 1-month window (9 April – 7 May)
    assert statuses(person)[1][2] == "due"
    second = person.get("/api/followups").json()["followups"][1]
    assert second["offered"] == ["audit-c", "dudit-c", "phq9", "gad7"]
    clock.advance(timedelta(days=23))  # 8 May: the window has closed unanswered
    assert [s for _, _, s in statuses(person)] == [
        "done", "missed", "upcoming", "upcoming", "upcoming",
    ]  # fmt: skip
    clock.set(datetime(2026, 6, 20, 10, tzinfo=UTC))
    person.post("/api/responses", json=CHECKUP)
    assert [s for _, _, s in statuses(person)][:3] == ["done", "missed", "done"]


def test_choosing_the_waiting_list(person: Person, clock: FixedClock) -> None:
    answer = person.put(
        "/api/me/programme", json={"programme": "waiting-list", "start_date": "2026-03-02"}
    )
    assert answer.status_code == 200
    assert answer.json()["chosen"] is True and answer.json()["start_date"] == "2026-03-02"
    assert statuses(person) == [
        ("baseline", "2026-03-02", "missed"),
        ("w2", "2026-03-16", "due"),
        ("w4", "2026-03-30", "upcoming"),
    ]
    clock.advance(timedelta(days=28))
    assert statuses(person)[-2:] == [("w6", "2026-04-13", "due"), ("w8", "2026-04-27", "upcoming")]


def test_clinic_programme_defaults_to_today_and_speaks_the_language(
    person_factory: Callable[..., Person],
) -> None:
    dane = person_factory(locale="da", timezone="Europe/Copenhagen")
    answer = dane.put("/api/me/programme", json={"programme": "clinic-16"})
    assert answer.json()["start_date"] == "2026-03-16"
    assert answer.json()["name"] == "Gruppebehandling, 16 uger"
    labels = [f["label"] for f in dane.get("/api/followups").json()["followups"]]
    assert labels == ["Indskrivning", "Midtvejs (uge 8)", "Afslutning (uge 16)"]
    names = [p["name"] for p in dane.get("/api/programmes").json()["programmes"]]
    assert names == ["Efterforløb", "Ventetid", "Gruppebehandling, 16 uger"]


def test_programme_errors(person: Person) -> None:
    for body, field in [
        ({"programme": "detox"}, "programme"),
        ({"programme": "aftercare", "start_date": "2029-01-01"}, "start_date"),
        ({"programme": "aftercare", "start_date": "2020-01-01"}, "start_date"),
        ({"programme": "aftercare", "start_date": "16/03/2026"}, "start_date"),
        ({"programme": "aftercare", "colour": "red"}, "colour"),
    ]:
        answer = person.put("/api/me/programme", json=body)
        assert answer.status_code == 400, body
        assert field in answer.text
    assert person.get("/api/me/programme").json()["chosen"] is False


def test_functions_other_domains_call(
    person_factory: Callable[..., Person], live_server: LiveServer
) -> None:
    """set_programme (family and staff helpers), followups_for_account (push), outcomes (staff)."""
    me = person_factory(locale="sv")
    relative = person_factory(role="relative")
    me.post("/api/responses", json=CHECKUP)
    relative.post("/api/responses", json={"instrument": "checkup", "answers": {"1": 6, "2": 8}})

    async def run(db: Database) -> tuple[list[str], list[object]]:
        clock = FixedClock(datetime(2026, 3, 17, 9, tzinfo=UTC))
        await set_programme(db, relative.account_id, "clinic-16", date(2026, 3, 14))
        entries = await followups_for_account(db, clock, me.account_id, "Europe/Stockholm")
        outcomes = await checkup_outcomes(db, clock, [me.account_id, relative.account_id])
        return [f"{e.label}:{e.status}" for e in entries], list(outcomes)

    # On the server's own loop and database: no second writer under a running server.
    entries, outcomes = live_server.run(run(live_server.db))
    assert entries[:2] == ["Start:done", "1 månad:upcoming"]
    by_account = {o.account_id: o for o in outcomes}  # type: ignore[attr-defined]
    mine = by_account[me.account_id]
    assert (mine.point, mine.burden, mine.days_used, mine.belief) == ("baseline", 7, 12, 4)
    theirs = by_account[relative.account_id]
    assert (theirs.programme, theirs.point) == ("clinic-16", "intake")
    assert (theirs.burden, theirs.days_used, theirs.belief) == (6, None, 8)
    assert relative.get("/api/me/programme").json()["programme"] == "clinic-16"
