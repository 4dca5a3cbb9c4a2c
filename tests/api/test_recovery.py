"""Drug-free days over HTTP: sobriety date, check-ins, progress, errors and isolation."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from fotfeste.clock import FixedClock
from tests.api.conftest import Person
from tests.conftest import LiveServer

# The live server's clock says 2026-03-16 11:00 UTC (noon in Stockholm).
TODAY = "2026-03-16"


def test_progress_before_any_start_date(person: Person) -> None:
    body = person.get("/api/progress").json()
    assert body["today"] == TODAY
    assert body["start_date"] is None and body["next_milestone"] is None
    assert body["current_streak_days"] == 0 and body["drug_free_days_total"] == 0
    assert len(body["recent"]) == 30 and body["recent"][-1] == {"date": TODAY, "status": "none"}


def test_sobriety_date_answers_with_progress(person: Person) -> None:
    answer = person.put("/api/sobriety", json={"start_date": "2026-03-01"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["start_date"] == "2026-03-01" and body["streak_start"] == "2026-03-01"
    assert body["current_streak_days"] == 15 and body["longest_streak_days"] == 15
    assert body["drug_free_days_total"] == 15
    assert body["milestones_reached"] == [1, 7, 14]
    assert body["next_milestone"] == {"days": 30, "date": "2026-03-31"}
    assert body["current_streak"] == {"years": 0, "months": 0, "days": 15}
    assert person.get("/api/progress").json() == body


def test_checkin_is_keyed_by_date_and_a_repeat_updates_it(
    person: Person, live_server: LiveServer
) -> None:
    first = person.put(f"/api/checkins/{TODAY}", json={"used": False, "craving": 3, "mood": 4})
    assert first.status_code == 200
    assert first.json()["date"] == TODAY and first.json()["used"] is False
    again = person.put(
        f"/api/checkins/{TODAY}",
        json={"used": True, "craving": 8, "substances": ["opioids", "alcohol"], "note": "hard day"},
    )
    assert again.status_code == 200
    body = again.json()
    assert body["substances"] == ["alcohol", "opioids"] and body["mood"] is None
    listed = person.get("/api/checkins").json()["checkins"]
    assert len(listed) == 1 and listed[0]["used"] is True and listed[0]["note"] == "hard day"
    [(count,)] = live_server.query(
        "SELECT count(*) FROM checkins WHERE account_id = ?", (person.account_id,)
    )
    assert count == 1


def test_relapse_keeps_history_and_starts_the_streak_tomorrow(person: Person) -> None:
    person.put("/api/sobriety", json={"start_date": "2026-01-01"})
    person.put("/api/checkins/2026-02-01", json={"used": False, "mood": 3})
    answer = person.put(f"/api/checkins/{TODAY}", json={"used": True, "substances": ["cannabis"]})
    assert answer.status_code == 200
    body = person.get("/api/progress").json()
    assert body["current_streak_days"] == 0
    assert body["streak_start"] == "2026-03-17"
    assert body["longest_streak_days"] == 74 and body["drug_free_days_total"] == 74
    assert body["next_milestone"] == {"days": 1, "date": "2026-03-18"}
    assert body["days_used_last_30"] == 1 and body["recent"][-1]["status"] == "used"
    history = person.get("/api/checkins?from=2026-01-01&to=2026-03-16").json()["checkins"]
    assert [c["date"] for c in history] == ["2026-02-01", TODAY]


def test_relapse_on_the_start_date(person: Person) -> None:
    person.put("/api/sobriety", json={"start_date": "2026-03-10"})
    person.put("/api/checkins/2026-03-10", json={"used": True})
    body = person.get("/api/progress").json()
    assert body["streak_start"] == "2026-03-11" and body["current_streak_days"] == 5
    assert body["drug_free_days_total"] == 5


def test_backdated_checkins_and_the_recent_strip(person: Person) -> None:
    person.put("/api/sobriety", json={"start_date": "2026-02-01"})
    person.put("/api/checkins/2026-03-14", json={"used": False})
    person.put("/api/checkins/2026-03-15", json={"used": True})
    recent = {d["date"]: d["status"] for d in person.get("/api/progress").json()["recent"]}
    assert recent["2026-03-14"] == "drug_free"
    assert recent["2026-03-15"] == "used"
    assert recent["2026-03-13"] == "none" and recent[TODAY] == "none"


def test_today_follows_the_accounts_zone(
    person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    # 10:30 UTC: 00:30 on the 17th in Kiritimati, 23:30 on the 15th in Pago Pago.
    clock.set(datetime(2026, 3, 16, 10, 30, tzinfo=UTC))
    east = person_factory(timezone="Pacific/Kiritimati")
    west = person_factory(timezone="Pacific/Pago_Pago")
    assert east.put("/api/checkins/2026-03-17", json={"used": False}).status_code == 200
    assert west.put("/api/checkins/2026-03-16", json={"used": False}).status_code == 400
    assert west.put("/api/checkins/2026-03-15", json={"used": False}).status_code == 200
    for who, start, days in ((east, "2026-03-10", 7), (west, "2026-03-10", 5)):
        assert (
            who.put("/api/sobriety", json={"start_date": start}).json()["current_streak_days"]
            == days
        )


def test_time_zone_change_keeps_a_use_day_that_is_now_tomorrow(
    person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    clock.set(datetime(2026, 3, 16, 10, 30, tzinfo=UTC))
    person = person_factory(timezone="Pacific/Kiritimati")
    person.put("/api/sobriety", json={"start_date": "2026-03-01"})
    person.put("/api/checkins/2026-03-17", json={"used": True})
    person.patch("/api/me", json={"timezone": "Pacific/Pago_Pago"})
    body = person.get("/api/progress").json()
    assert body["today"] == "2026-03-15"
    assert body["current_streak_days"] == 0 and body["longest_streak_days"] == 14
    assert body["streak_start"] == "2026-03-18"
    assert len(person.get("/api/checkins?from=2026-03-01&to=2026-03-31").json()["checkins"]) == 1


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/api/checkins/2026-03-17", {"used": False}, "after today"),
        ("/api/checkins/2026-02-30", {"used": False}, "not a date"),
        ("/api/checkins/16-03-2026", {"used": False}, "YYYY-MM-DD"),
        ("/api/checkins/2024-03-15", {"used": False}, "2 years back"),
        ("/api/checkins/2026-03-16", {"used": False, "craving": 11}, "craving"),
        ("/api/checkins/2026-03-16", {"used": False, "craving": -1}, "craving"),
        ("/api/checkins/2026-03-16", {"used": False, "mood": 0}, "mood"),
        ("/api/checkins/2026-03-16", {"used": False, "mood": 6}, "mood"),
        ("/api/checkins/2026-03-16", {"used": False, "note": "x" * 2001}, "note"),
        ("/api/checkins/2026-03-16", {"used": True, "substances": ["coffee"]}, "substances"),
        ("/api/checkins/2026-03-16", {"used": False, "substances": ["alcohol"]}, "substances"),
        ("/api/checkins/2026-03-16", {"craving": 2}, "used"),
        ("/api/checkins/2026-03-16", {"used": "no"}, "used"),
        ("/api/checkins/2026-03-16", {"used": False, "feeling": "ok"}, "feeling"),
        ("/api/sobriety", {"start_date": "2026-03-17"}, "after today"),
        ("/api/sobriety", {"start_date": "2025-02-29"}, "not a date"),
        ("/api/sobriety", {"start_date": "1850-01-01"}, "1900"),
        ("/api/sobriety", {}, "start_date"),
    ],
)
def test_bad_input_is_400_with_a_clear_message(
    person: Person, path: str, body: dict[str, object], words: str
) -> None:
    answer = person.put(path, json=body)
    assert answer.status_code == 400, answer.text
    assert words.lower() in answer.text.lower()
    assert person.get("/api/checkins").json()["checkins"] == []
    assert person.get("/api/progress").json()["start_date"] is None


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("from=2026-03-10&to=2026-03-01", "must not be after"),
        ("from=2020-01-01&to=2026-03-16", "at most"),
        ("from=2026-02-31", "not a date"),
        ("to=yesterday", "YYYY-MM-DD"),
    ],
)
def test_bad_ranges_are_400(person: Person, query: str, words: str) -> None:
    answer = person.get(f"/api/checkins?{query}")
    assert answer.status_code == 400 and words in answer.json()["detail"]


def test_note_of_2000_characters_and_the_full_substance_list_are_fine(person: Person) -> None:
    everything = ["alcohol", "benzodiazepines", "cannabis", "opioids", "other", "stimulants"]
    answer = person.put(
        "/api/checkins/2024-03-16",
        json={"used": True, "note": "å" * 2000, "substances": everything},
    )
    assert answer.status_code == 200 and answer.json()["substances"] == everything


def test_endpoints_need_a_token(live_server: LiveServer) -> None:
    import httpx

    with httpx.Client(base_url=live_server.url) as anonymous:
        assert anonymous.get("/api/progress").status_code == 401
        assert anonymous.get("/api/checkins").status_code == 401
        assert anonymous.put(f"/api/checkins/{TODAY}", json={"used": False}).status_code == 401
        assert anonymous.put("/api/sobriety", json={"start_date": TODAY}).status_code == 401


def test_accounts_are_isolated(person_factory: Callable[..., Person]) -> None:
    alice, bob = person_factory(), person_factory()
    alice.put("/api/sobriety", json={"start_date": "2026-01-01"})
    alice.put(f"/api/checkins/{TODAY}", json={"used": True, "note": "alice's note"})
    bob.put(f"/api/checkins/{TODAY}", json={"used": False})
    assert bob.get("/api/progress").json()["start_date"] is None
    assert [c["used"] for c in bob.get("/api/checkins").json()["checkins"]] == [False]
    assert alice.get("/api/checkins").json()["checkins"][0]["note"] == "alice's note"
    assert "alice's note" not in bob.get("/api/me/export").text


def test_export_and_delete_cover_recovery_tables(person: Person, live_server: LiveServer) -> None:
    person.put("/api/sobriety", json={"start_date": "2026-01-01"})
    person.put(f"/api/checkins/{TODAY}", json={"used": False, "note": "a good day"})
    tables = person.get("/api/me/export").json()["tables"]
    assert tables["sobriety"][0]["start_date"] == "2026-01-01"
    assert tables["checkins"][0]["note"] == "a good day"
    assert person.delete("/api/me").status_code == 204
    for table in ("sobriety", "checkins"):
        [(count,)] = live_server.query(
            f"SELECT count(*) FROM {table} WHERE account_id = ?", (person.account_id,)
        )
        assert count == 0


def test_concurrent_checkins_all_land_once(person_factory: Callable[..., Person]) -> None:
    people = [person_factory() for _ in range(4)]
    days = [f"2026-03-{d:02d}" for d in range(1, 17)]

    def check_in(job: tuple[Person, str]) -> int:
        who, day = job
        return who.put(f"/api/checkins/{day}", json={"used": day.endswith("5")}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(check_in, [(p, d) for p in people for d in days] * 2))
    assert statuses == [200] * len(statuses)
    for who in people:
        listed = who.get("/api/checkins?from=2026-03-01").json()["checkins"]
        assert [c["date"] for c in listed] == days
        assert who.get("/api/progress").json()["days_used_last_30"] == 2


def test_answers_carry_security_headers_once(person: Person) -> None:
    answer = person.put(f"/api/checkins/{TODAY}", json={"used": False})
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers.get_list("content-security-policy") == [
        answer.headers["content-security-policy"]
    ]
    assert "default-src 'self'" in answer.headers["content-security-policy"]
