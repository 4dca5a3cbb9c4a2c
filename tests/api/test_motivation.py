"""Money not spent and my own patterns, over HTTP (api.md, "Motivation")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import httpx

from tests.api.conftest import Person
from tests.conftest import FixedClock


def test_money_saved_follows_the_drug_free_days(person_factory: Callable[..., Person]) -> None:
    me = person_factory(locale="sv")
    assert me.patch("/api/me", json={"country": "SE"}).status_code == 200
    assert me.get("/api/progress").json()["money_saved"] is None
    assert me.get("/api/me/spending").status_code == 404

    answer = me.put("/api/me/spending", json={"amount": 700, "per": "week"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"amount": 700.0, "per": "week", "currency": "SEK"}
    # The server's clock: Monday 16 March 2026. Ten days before today, one of them with use.
    me.put("/api/sobriety", json={"start_date": "2026-03-06"})
    me.put("/api/checkins/2026-03-10", json={"used": True})
    progress = me.get("/api/progress").json()
    assert progress["drug_free_days_total"] == 9
    assert progress["money_saved"] == {"amount": 900.0, "currency": "SEK"}

    me.put("/api/me/spending", json={"amount": 12.5, "per": "day", "currency": "EUR"})
    assert me.get("/api/progress").json()["money_saved"] == {"amount": 112.5, "currency": "EUR"}
    assert me.delete("/api/me/spending").status_code == 204
    assert me.get("/api/progress").json()["money_saved"] is None


def test_currency_defaults_from_the_country(person_factory: Callable[..., Person]) -> None:
    for country, currency in (("NO", "NOK"), ("DK", "DKK"), (None, "EUR")):
        # Without a country of its own, the account's is guessed from its zone: Berlin, not Nordic.
        person = person_factory(timezone="Europe/Berlin")
        if country:
            person.patch("/api/me", json={"country": country})
        answer = person.put("/api/me/spending", json={"amount": 1, "per": "month"})
        assert answer.json()["currency"] == currency


def test_bad_spending_is_a_clear_400(person: Person) -> None:
    person.put("/api/me/spending", json={"amount": 50, "per": "day"})
    for body in (
        {"amount": -1, "per": "day"},
        {"amount": 50, "per": "year"},
        {"amount": 50, "per": "day", "currency": "kr"},
        {"amount": 2_000_000, "per": "day"},
        {"amount": 50, "per": "day", "note": "x"},
    ):
        answer = person.put("/api/me/spending", json=body)
        assert answer.status_code == 400, body
        assert answer.json()["detail"]
    assert person.get("/api/me/spending").json()["amount"] == 50  # nothing was lost


def test_spending_is_the_accounts_own_and_exported_and_deleted(
    person_factory: Callable[..., Person], http: httpx.Client
) -> None:
    me, other = person_factory(), person_factory()
    me.put("/api/me/spending", json={"amount": 80, "per": "day"})
    assert other.get("/api/me/spending").status_code == 404
    assert other.get("/api/progress").json()["money_saved"] is None
    exported = me.get("/api/me/export").json()["tables"]["spending"]
    assert [(r["amount_minor"], r["per"]) for r in exported] == [(8000, "day")]
    assert http.put("/api/me/spending", json={"amount": 1, "per": "day"}).status_code == 401


def test_insights_after_four_weeks_of_checkins(
    person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    me = person_factory(locale="da", timezone="Europe/Copenhagen")
    today = date(2026, 3, 16)
    early = me.get("/api/insights").json()
    assert early["enough_data"] is False and early["craving_by_weekday"] == []

    # Five weeks of check-ins: use on Saturdays in weeks without a meeting.
    first = today - timedelta(weeks=5)
    for n in range(35):
        day = first + timedelta(days=n)
        saturday = day.weekday() == 5
        week = n // 7
        used = saturday and week % 2 == 1
        body = {"used": used, "craving": 8 if saturday else 3, "mood": 2 if used else 4}
        assert me.put(f"/api/checkins/{day}", json=body).status_code == 200
        if week % 2 == 0 and day.weekday() == 2:
            assert me.post("/api/me/attendance", json={"date": str(day)}).status_code == 201
    found = me.get("/api/insights").json()
    assert found["enough_data"] is True and found["first_checkin"] == str(first)
    by_day = {d["weekday"]: d["average"] for d in found["craving_by_weekday"]}
    assert by_day[6] == 8 and by_day[3] == 3
    assert found["weeks_with_meeting"]["weeks"] == 3
    assert found["weeks_without_meeting"]["days_with_use_per_week"] == 1
    assert found["weeks_with_meeting"]["days_with_use_per_week"] == 0
    assert found["finding"] == "fewer_use_days_with_meetings"
    assert len(found["mood_by_week"]) == 5
