"""Scales over HTTP: instruments, responses and their validation, history, safety, cut-offs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.api.conftest import Person
from tests.conftest import LiveServer

PHQ9_CALM = {str(n): 0 for n in range(1, 10)} | {"1": 1, "2": 2}


def test_instruments_need_a_token(http: httpx.Client) -> None:
    assert http.get("/api/instruments").status_code == 401
    assert http.post("/api/responses", json={}).status_code == 401


def test_instruments_in_the_accounts_language(person_factory: Callable[..., Person]) -> None:
    dane = person_factory(locale="da", timezone="Europe/Copenhagen")
    body = dane.get("/api/instruments").json()
    by_id = {i["id"]: i for i in body["instruments"]}
    assert set(by_id) == {"checkup", "audit", "audit-c", "dudit", "dudit-c", "phq9", "gad7"}
    checkup = by_id["checkup"]
    assert checkup["language"] == "da" and checkup["name"] == "Statustjek"
    assert [i["key"] for i in checkup["items"]] == ["1", "2", "3"]
    assert checkup["items"][1]["min"] == 0 and checkup["items"][1]["max"] == 30
    assert checkup["items"][1]["prefill"] is None  # no check-ins to count yet
    phq9 = by_id["phq9"]
    # The published Danish PHQ-9 is shipped; GAD-7 has none we could check: English, said so.
    assert phq9["language"] == "da" and phq9["translation_note"] is None
    assert by_id["gad7"]["language"] == "en" and "engelsk" in by_id["gad7"]["translation_note"]
    assert phq9["bands"][0]["label"] == "Få eller ingen tegn"
    assert "Pfizer" in phq9["licence"]["attribution"]
    assert [o["score"] for o in by_id["audit"]["items"][8]["options"]] == [0, 2, 4]
    assert phq9["safety"] == [{"item": "9", "min": 1}]
    assert body["cutoff_set"] is None


def test_days_with_use_are_prefilled_from_the_checkins(person: Person) -> None:
    def prefill() -> int | None:
        instruments = person.get("/api/instruments").json()["instruments"]
        checkup = next(i for i in instruments if i["id"] == "checkup")
        value: int | None = checkup["items"][1]["prefill"]
        return value

    assert prefill() is None  # no check-ins: nothing to count from, so nothing is suggested
    assert person.put("/api/checkins/2026-03-10", json={"used": False}).status_code == 200
    assert prefill() == 0
    for day in ("2026-03-12", "2026-03-15", "2026-02-01"):  # the last is outside the 30 days
        assert person.put(f"/api/checkins/{day}", json={"used": True}).status_code == 200
    assert prefill() == 2


def test_relatives_get_their_own_checkup(person_factory: Callable[..., Person]) -> None:
    relative = person_factory(role="relative", locale="nb", timezone="Europe/Oslo")
    by_id = {i["id"]: i for i in relative.get("/api/instruments").json()["instruments"]}
    assert set(by_id) == {"checkup", "phq9", "gad7"}
    assert len(by_id["checkup"]["items"]) == 2
    assert by_id["checkup"]["items"][0]["measure"] == "burden"
    answer = relative.post("/api/responses", json={"instrument": "audit", "answers": {}})
    assert answer.status_code == 400 and "instrument" in answer.text


def test_a_response_is_scored_with_its_band(person: Person) -> None:
    answer = person.post("/api/responses", json={"instrument": "phq9", "answers": PHQ9_CALM})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["score"] == 3 and body["max_score"] == 27 and body["band"] == "minimal"
    assert body["band_label"] == "Few or no signs" and "not a diagnosis" in body["explanation"]
    assert body["safety"] is False and body["resources"] == []
    assert body["answered_on"] == "2026-03-16"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "phq9", "answers": {str(n): 0 for n in range(1, 9)}}, "answers.9"),
        ({"instrument": "phq9", "answers": PHQ9_CALM | {"9": 4}}, "answers.9"),
        ({"instrument": "phq9", "answers": PHQ9_CALM | {"10": 0}}, "answers.10"),
        ({"instrument": "phq9", "answers": PHQ9_CALM | {"3": True}}, "answers.3"),
        ({"instrument": "audit", "answers": {str(n): 0 for n in range(1, 11)} | {"9": 1}}, "9"),
        ({"instrument": "checkup", "answers": {"1": 5, "2": 31, "3": 5}}, "answers.2"),
        ({"instrument": "checkup", "answers": {"1": 5, "2": -1, "3": 5}}, "answers.2"),
        ({"instrument": "phq9", "answers": PHQ9_CALM | {"1": "1"}}, "answers"),
        ({"instrument": "phq-nine", "answers": PHQ9_CALM}, "instrument"),
        ({"instrument": "phq9"}, "answers"),
        ({"instrument": "phq9", "answers": PHQ9_CALM, "mood": 3}, "mood"),
        ({"instrument": "phq9", "answers": PHQ9_CALM, "client_id": "x"}, "client_id"),
    ],
)
def test_bad_answers_are_400_naming_the_field(
    person: Person, body: dict[str, Any], field: str
) -> None:
    answer = person.post("/api/responses", json=body)
    assert answer.status_code == 400, answer.text
    assert field in answer.text
    assert person.get("/api/responses").json()["responses"] == []


@pytest.mark.parametrize(
    ("fields", "first_phone"),
    [
        ({"locale": "sv", "timezone": "Europe/Stockholm"}, "90101"),
        ({"locale": "nb", "timezone": "Europe/Oslo"}, "116 123"),
        ({"locale": "da", "timezone": "Europe/Copenhagen"}, "70 20 12 01"),
    ],
)
def test_safety_answer_carries_crisis_resources(
    person_factory: Callable[..., Person], fields: dict[str, str], first_phone: str
) -> None:
    person = person_factory(**fields)
    answer = person.post(
        "/api/responses", json={"instrument": "phq9", "answers": PHQ9_CALM | {"9": 1}}
    )
    body = answer.json()
    assert body["safety"] is True
    assert body["resources"][0]["phone"] == first_phone
    assert body["resources"][0]["source"].startswith("http")
    burden = person.post(
        "/api/responses", json={"instrument": "checkup", "answers": {"1": 10, "2": 3, "3": 2}}
    ).json()
    assert burden["safety"] is True and burden["resources"]
    calm = person.post(
        "/api/responses", json={"instrument": "checkup", "answers": {"1": 9, "2": 3, "3": 2}}
    ).json()
    assert calm["safety"] is False and calm["resources"] == []


def test_safety_without_known_country_gives_no_foreign_numbers(
    person_factory: Callable[..., Person],
) -> None:
    person = person_factory(locale="en", timezone="America/New_York")
    body = person.post(
        "/api/responses", json={"instrument": "phq9", "answers": PHQ9_CALM | {"9": 2}}
    ).json()
    assert body["safety"] is True and body["resources"] == []
    assert person.get("/api/help/resources").json() == {
        "country": None,
        "region": None,
        "resources": [],
    }


def test_history_oldest_first_filtered_and_private(
    person_factory: Callable[..., Person], clock: Any
) -> None:
    from datetime import timedelta

    one, other = person_factory(), person_factory()
    one.post(
        "/api/responses", json={"instrument": "gad7", "answers": {str(n): 3 for n in range(1, 8)}}
    )
    clock.advance(timedelta(days=3))
    one.post(
        "/api/responses", json={"instrument": "gad7", "answers": {str(n): 1 for n in range(1, 8)}}
    )
    one.post("/api/responses", json={"instrument": "checkup", "answers": {"1": 4, "2": 2, "3": 8}})
    history = one.get("/api/responses", params={"instrument": "gad7"}).json()["responses"]
    assert [r["score"] for r in history] == [21, 7]
    assert [r["band"] for r in history] == ["severe", "mild"]
    assert [r["answered_on"] for r in history] == ["2026-03-16", "2026-03-19"]
    everything = one.get("/api/responses").json()["responses"]
    assert [r["instrument"] for r in everything] == ["gad7", "gad7", "checkup"]
    assert everything[2]["measures"] == {"burden": 4, "days_used": 2, "belief": 8}
    assert other.get("/api/responses").json()["responses"] == []
    assert one.get("/api/responses", params={"instrument": "bdi"}).status_code == 400


def test_a_retried_post_is_stored_once(person: Person) -> None:
    body = {"instrument": "phq9", "answers": PHQ9_CALM, "client_id": "r-2026-03-16-abc"}
    first = person.post("/api/responses", json=body).json()
    again = person.post("/api/responses", json=body).json()
    assert first["id"] == again["id"]
    assert len(person.get("/api/responses").json()["responses"]) == 1


def test_cutoff_sets_are_optional_and_national(person_factory: Callable[..., Person]) -> None:
    swede = person_factory(locale="sv", timezone="Europe/Stockholm")
    assert swede.get("/api/scales/settings").json() == {"cutoff_set": None}
    audit_c = {"instrument": "audit-c", "answers": {"1": 2, "2": 1, "3": 2}}  # score 5
    assert swede.post("/api/responses", json=audit_c).json()["cutoff"] is None
    assert swede.put("/api/scales/settings", json={"cutoff_set": "women"}).status_code == 200
    cutoff = swede.post("/api/responses", json=audit_c).json()["cutoff"]
    assert cutoff["min"] == 5 and cutoff["above"] is True and cutoff["country"] == "SE"
    swede.put("/api/scales/settings", json={"cutoff_set": "men"})
    assert swede.get("/api/responses").json()["responses"][1]["cutoff"]["above"] is False
    dane = person_factory(locale="da", timezone="Europe/Copenhagen")
    dane.put("/api/scales/settings", json={"cutoff_set": "men"})
    assert dane.post("/api/responses", json=audit_c).json()["cutoff"]["min"] == 4
    instruments = {i["id"]: i for i in dane.get("/api/instruments").json()["instruments"]}
    assert instruments["dudit"]["cutoff"] == {"set": "men", "min": 6, "country": None}
    assert swede.put("/api/scales/settings", json={"cutoff_set": "male"}).status_code == 400
    assert swede.put("/api/scales/settings", json={"cutoff_set": None}).json() == {
        "cutoff_set": None
    }


def test_help_resources_for_the_accounts_country(person_factory: Callable[..., Person]) -> None:
    norwegian = person_factory(locale="nb", timezone="Europe/Oslo")
    body = norwegian.get("/api/help/resources").json()
    assert body["country"] == "NO"
    emergency = [r for r in body["resources"] if r["kind"] == "emergency"]
    assert [r["phone"] for r in emergency] == ["113", "112"]
    assert emergency[0]["name"] == "Medisinsk nødnummer 113"


def test_help_resources_without_an_account(http: httpx.Client) -> None:
    answer = http.get("/api/help/resources", params={"country": "DK", "locale": "da"})
    assert [r["name"] for r in answer.json()["resources"][:2]] == ["Livslinien", "Alarmnummer 112"]
    assert http.get("/api/help/resources").json() == {
        "country": None,
        "region": None,
        "resources": [],
    }
    assert http.get("/api/help/resources", params={"country": "dk"}).status_code == 400
    assert http.get("/api/help/resources", params={"locale": "de"}).status_code == 400
    bad_token = http.get("/api/help/resources", headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401


def test_deployment_replaces_the_crisis_resources(
    server_factory: Callable[..., LiveServer], tmp_path: Any
) -> None:
    own = tmp_path / "resources.json"
    own.write_text(
        '{"resources": [{"id": "se-test-line", "name": {"en": "Test line", "sv": "Testlinjen"},'
        ' "phone": "+46 0000", "url": null, "hours": "Mon-Fri 9-17", "country": "SE",'
        ' "languages": ["sv"], "kind": "support", "source": "https://example.invalid/line"}]}',
        encoding="utf-8",
    )
    server = server_factory(crisis_resources=own)
    from tests.api.conftest import sign_up

    person = sign_up(server.url, locale="sv", timezone="Europe/Stockholm")
    body = person.get("/api/help/resources").json()
    assert [r["name"] for r in body["resources"]] == ["Testlinjen"]
    person.client.close()


def test_responses_are_exported_and_deleted_with_the_account(
    person: Person, live_server: LiveServer
) -> None:
    person.post("/api/responses", json={"instrument": "phq9", "answers": PHQ9_CALM})
    person.put("/api/me/programme", json={"programme": "clinic-16"})
    person.put("/api/scales/settings", json={"cutoff_set": "women"})
    tables = person.get("/api/me/export").json()["tables"]
    assert (
        len(tables["scale_responses"]) == 1 and tables["enrolments"][0]["programme"] == "clinic-16"
    )
    assert tables["scale_settings"][0]["cutoff_set"] == "women"
    assert person.delete("/api/me").status_code == 204
    for table in ("scale_responses", "enrolments", "scale_settings"):
        [(count,)] = live_server.query(
            f"SELECT count(*) FROM {table} WHERE account_id = ?", (person.account_id,)
        )
        assert count == 0
