"""Meetings over HTTP: nearby, online, one, calendar, favourites and the attendance log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar

from fotfeste.clock import FixedClock
from fotfeste.meetings.logic import great_circle_km, meeting_id
from tests.api.conftest import Person
from tests.api.meetings_fixtures import CENTRAL, FEED, run_import, write_feed
from tests.conftest import LiveServer

SOURCE = "test-nordic"


def mid(slug: str) -> str:
    return meeting_id(SOURCE, slug)


@pytest.fixture(scope="module", autouse=True)
def nordic(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    feed = write_feed(tmp_path_factory.mktemp("feed") / "nordic.json", FEED)
    done = run_import(
        live_server.settings.data_dir, str(feed), "--format", "meeting-guide", "--source", SOURCE
    )
    assert done.returncode == 0, done.stderr


def nearby(http: httpx.Client, **params: object) -> httpx.Response:
    return http.get("/api/meetings/nearby", params={"lat": CENTRAL[0], "lon": CENTRAL[1], **params})


def test_nearby_is_nearest_first_with_distance_and_next_start(http: httpx.Client) -> None:
    answer = nearby(http)
    assert answer.status_code == 200
    meetings = answer.json()["meetings"]
    assert [m["id"] for m in meetings] == [mid("sthlm-monday"), mid("sthlm-tuesday")]
    first = meetings[0]
    assert first["distance_km"] == round(great_circle_km(*CENTRAL, 59.3326, 18.0649), 2) == 0.43
    assert meetings[1]["distance_km"] == pytest.approx(1.37, abs=0.02)
    # DEFAULT_NOW is Monday 12:00 in Stockholm: tonight at 19:00.
    assert first["next_start"] == "2026-03-16T19:00:00+01:00"
    assert meetings[1]["next_start"] == "2026-03-17T18:30:00+01:00"
    assert first["name"] == "Måndagsgruppen" and first["fellowship"] == "AA"
    assert first["types"] == ["O", "D", "SV"] and first["attendance"] == "in_person"
    assert first["location"] == {
        "name": "Demohuset",
        "address": "Exempelgatan 1, Stockholm",
        "lat": 59.3326,
        "lon": 18.0649,
    }
    assert (first["time"], first["end_time"], first["day"]) == ("19:00", "20:30", 1)


def test_nearby_radius_and_filters(http: httpx.Client) -> None:
    def ids(**params: object) -> list[str]:
        answer = nearby(http, **params)
        assert answer.status_code == 200, answer.text
        return [m["id"] for m in answer.json()["meetings"]]

    wide = ids(radius_km=100)
    assert wide[:2] == [mid("sthlm-monday"), mid("sthlm-tuesday")]
    assert set(wide[2:]) == {mid("uppsala#1"), mid("uppsala#4")}
    assert ids(radius_km=0.5) == [mid("sthlm-monday")]
    assert ids(radius_km=100, day=4) == [mid("uppsala#4")]
    assert ids(type="C") == [mid("sthlm-tuesday")]
    assert ids(fellowship="aa", radius_km=100, limit=1) == [mid("sthlm-monday")]
    assert ids(fellowship="NA") == []
    # The temporarily closed room is never sent as a place to go.
    assert mid("sthlm-closed-room") not in ids(radius_km=100)
    # Oslo is 416 km away; a hybrid meeting is also a place.
    assert mid("oslo-hybrid") in ids(radius_km=450, limit=200)


@pytest.mark.parametrize(
    "params",
    [
        {"lat": 91},
        {"lon": -181},
        {"radius_km": 0},
        {"radius_km": 501},
        {"day": 7},
        {"limit": 0},
        {"limit": 201},
        {"type": "a b"},
        {"lat": "north"},
    ],
)
def test_nearby_refuses_bad_queries_with_400(http: httpx.Client, params: dict[str, object]) -> None:
    answer = nearby(http, **params)
    assert answer.status_code == 400
    assert answer.json()["detail"]


def test_nearby_needs_a_point(http: httpx.Client) -> None:
    answer = http.get("/api/meetings/nearby", params={"lat": 59.3})
    assert answer.status_code == 400 and "lon" in answer.text


def test_online_lists_online_and_hybrid_soonest_first(http: httpx.Client) -> None:
    meetings = http.get("/api/meetings/online").json()["meetings"]
    wanted = {mid("online-en"), mid("oslo-hybrid"), mid("online-sv")}
    ours = [m["id"] for m in meetings if m["id"] in wanted]
    # Monday 11:00 UTC: London 13:00 today, Oslo 20:00 today, Stockholm 07:30 tomorrow.
    assert ours == [mid("online-en"), mid("oslo-hybrid"), mid("online-sv")]
    online_en = next(m for m in meetings if m["id"] == mid("online-en"))
    assert online_en["attendance"] == "online" and online_en["location"]["lat"] is None
    assert online_en["conference_phone"] == "+44 20 0000 0000"
    assert online_en["next_start"] == "2026-03-16T13:00:00+00:00"
    assert all(m["attendance"] != "in_person" for m in meetings)


def test_online_filters(http: httpx.Client) -> None:
    def ids(**params: object) -> set[str]:
        answer = http.get("/api/meetings/online", params=params)
        assert answer.status_code == 200, answer.text
        return {m["id"] for m in answer.json()["meetings"]}

    assert mid("online-sv") in ids(language="sv")
    assert mid("online-en") not in ids(language="sv")
    assert mid("oslo-hybrid") in ids(language="nb")
    assert ids(day=2, language="SV") >= {mid("online-sv")}
    assert mid("online-sv") not in ids(day=1)
    for bad in ({"language": "klingon"}, {"language": "sv", "type": "O"}, {"day": -1}):
        answer = http.get("/api/meetings/online", params=bad)
        assert answer.status_code == 400 and answer.json()["detail"]


def test_a_type_code_is_read_in_any_case_and_an_unknown_one_is_refused(
    http: httpx.Client,
) -> None:
    closed = [mid("sthlm-tuesday")]
    for code in ("C", "c", " c "):
        answer = nearby(http, type=code.strip())
        assert answer.status_code == 200, answer.text
        assert [m["id"] for m in answer.json()["meetings"]] == closed
    # A code no meeting can have would quietly find nothing: the client is told instead.
    for path in ("/api/meetings/nearby", "/api/meetings/online"):
        answer = http.get(path, params={"lat": CENTRAL[0], "lon": CENTRAL[1], "type": "XYZ"})
        assert answer.status_code == 400
        assert "XYZ" in answer.json()["detail"] and "/api/meetings/types" in answer.json()["detail"]


def test_one_meeting_and_unknown_id(http: httpx.Client) -> None:
    answer = http.get(f"/api/meetings/{mid('oslo-hybrid')}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["attendance"] == "hybrid"
    assert body["conference_url"] == "https://meet.example.org/oslo"
    assert body["next_start"] == "2026-03-16T20:00:00+01:00"
    assert body["distance_km"] is None
    assert http.get("/api/meetings/NoSuchMeeting").status_code == 404
    assert http.get("/api/meetings/bad%20id").status_code in (400, 404)


def test_calendar_is_a_weekly_event_in_the_meetings_zone(http: httpx.Client) -> None:
    answer = http.get(f"/api/meetings/{mid('sthlm-monday')}/calendar.ics")
    assert answer.status_code == 200
    # One charset, said once (it used to come twice: "…; charset=utf-8; charset=utf-8").
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(answer.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert event["dtstart"].dt == datetime(2026, 3, 16, 18, 0, tzinfo=UTC)
    assert event["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and event["rrule"]["BYDAY"] == ["MO"]
    assert "Exempelgatan 1" in str(event["location"])
    assert calendar.walk("VTIMEZONE")
    assert http.get("/api/meetings/NoSuchMeeting/calendar.ics").status_code == 404


def test_next_start_is_dst_correct(http: httpx.Client, clock: FixedClock) -> None:
    # Saturday 28 March 2026: clocks go forward in the night to Sunday.
    clock.set(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    monday = http.get(f"/api/meetings/{mid('sthlm-monday')}").json()
    assert monday["next_start"] == "2026-03-30T19:00:00+02:00"
    online_en = http.get(f"/api/meetings/{mid('online-en')}").json()
    assert online_en["next_start"] == "2026-03-30T13:00:00+01:00"


def test_type_names_in_each_language(http: httpx.Client) -> None:
    names = {
        loc: http.get("/api/meetings/types", params={"locale": loc}).json()["types"]
        for loc in ("sv", "nb", "da", "en")
    }
    assert names["sv"]["O"] == "Öppet möte" and names["nb"]["O"] == "Åpent møte"
    assert names["da"]["C"] == "Lukket møde" and names["en"]["W"] == "Women"
    assert http.get("/api/meetings/types", params={"locale": "de"}).status_code == 400


# --- favourites ---------------------------------------------------------------------------


def test_favourites_are_per_account(person_factory: Callable[..., Person]) -> None:
    kim, alex = person_factory(), person_factory()
    answer = kim.put(f"/api/me/favourites/{mid('sthlm-tuesday')}")
    assert answer.status_code == 200 and answer.json()["name"] == "Tisdagsgruppen"
    assert kim.put(f"/api/me/favourites/{mid('sthlm-monday')}").status_code == 200
    assert kim.put(f"/api/me/favourites/{mid('sthlm-monday')}").status_code == 200  # twice: fine
    listed = [m["id"] for m in kim.get("/api/me/favourites").json()["meetings"]]
    assert listed == [mid("sthlm-monday"), mid("sthlm-tuesday")]  # soonest first
    assert alex.get("/api/me/favourites").json() == {"meetings": []}
    assert alex.delete(f"/api/me/favourites/{mid('sthlm-monday')}").status_code == 204
    assert len(kim.get("/api/me/favourites").json()["meetings"]) == 2
    assert kim.delete(f"/api/me/favourites/{mid('sthlm-monday')}").status_code == 204
    listed = [m["id"] for m in kim.get("/api/me/favourites").json()["meetings"]]
    assert listed == [mid("sthlm-tuesday")]


def test_favourite_errors(person: Person, http: httpx.Client) -> None:
    assert person.put("/api/me/favourites/NoSuchMeeting").status_code == 404
    assert http.get("/api/me/favourites").status_code == 401
    assert http.put(f"/api/me/favourites/{mid('sthlm-monday')}").status_code == 401


# --- attendance ---------------------------------------------------------------------------


def test_i_went_is_idempotent_and_counts_on_the_summary(
    person_factory: Callable[..., Person],
) -> None:
    kim, alex = person_factory(), person_factory()
    body = {"date": "2026-03-16", "meeting_id": mid("sthlm-monday")}
    first = kim.post("/api/me/attendance", json=body)
    assert first.status_code == 201
    assert first.json()["meeting_name"] == "Måndagsgruppen"
    again = kim.post("/api/me/attendance", json=body)
    assert again.status_code == 201 and again.json() == first.json()
    assert kim.post("/api/me/attendance", json={"date": "2026-03-10"}).status_code == 201
    assert kim.post("/api/me/attendance", json={"date": "2026-02-01"}).status_code == 201
    summary = kim.get("/api/me/attendance/summary").json()
    assert summary["last_30_days"] == 2 and summary["days_last_30"] == 2
    assert summary["total"] == 3 and summary["last_date"] == "2026-03-16"
    assert summary["today"] == "2026-03-16"
    log = kim.get("/api/me/attendance").json()["attendance"]
    assert [(e["date"], e["meeting_id"]) for e in log] == [
        ("2026-03-10", None),
        ("2026-03-16", mid("sthlm-monday")),
    ]
    assert alex.get("/api/me/attendance/summary").json()["last_30_days"] == 0
    assert alex.delete("/api/me/attendance/2026-03-10").status_code == 404
    assert kim.delete("/api/me/attendance/2026-03-10").status_code == 204
    assert kim.get("/api/me/attendance/summary").json()["last_30_days"] == 1
    logged = kim.get("/api/me/attendance", params={"from": "2026-01-01", "to": "2026-03-16"})
    assert len(logged.json()["attendance"]) == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"date": "2026-03-17"}, 400),  # tomorrow in Stockholm
        ({"date": "16/03/2026"}, 400),
        ({"date": "2026-02-30"}, 400),
        ({"date": "2010-01-01"}, 400),
        ({}, 400),
        ({"date": "2026-03-16", "meeting_id": "NoSuchMeeting"}, 404),
        ({"date": "2026-03-16", "extra": 1}, 400),
    ],
)
def test_attendance_errors(person: Person, body: dict[str, object], status: int) -> None:
    answer = person.post("/api/me/attendance", json=body)
    assert answer.status_code == status
    assert answer.json()["detail"]


def test_attendance_date_is_the_accounts_own_day(
    person_factory: Callable[..., Person],
) -> None:
    # 11:00 UTC on the 16th is already the 17th in Kiritimati.
    far = person_factory(timezone="Pacific/Kiritimati")
    assert far.post("/api/me/attendance", json={"date": "2026-03-17"}).status_code == 201
    assert far.get("/api/me/attendance/summary").json()["today"] == "2026-03-17"


def test_export_and_delete_cover_favourites_and_attendance(
    person: Person, live_server: LiveServer
) -> None:
    person.put(f"/api/me/favourites/{mid('sthlm-monday')}")
    person.post("/api/me/attendance", json={"date": "2026-03-15"})
    tables = person.get("/api/me/export").json()["tables"]
    assert [r["meeting_id"] for r in tables["meeting_favourites"]] == [mid("sthlm-monday")]
    assert [r["date"] for r in tables["meeting_attendance"]] == ["2026-03-15"]
    assert person.delete("/api/me").status_code == 204
    for table in ("meeting_favourites", "meeting_attendance"):
        [(count,)] = live_server.query(
            f"SELECT count(*) FROM {table} WHERE account_id = ?", (person.account_id,)
        )
        assert count == 0


def test_reimport_keeps_ids_and_favourites(
    person: Person, live_server: LiveServer, tmp_path: Path
) -> None:
    person.put(f"/api/me/favourites/{mid('sthlm-monday')}")
    renamed = [
        {**r, "name": "Måndagsgruppen (ny lokal)"} if r["slug"] == "sthlm-monday" else r
        for r in FEED
    ]
    feed = write_feed(tmp_path / "nordic.json", renamed)
    done = run_import(
        live_server.settings.data_dir, str(feed), "--format", "meeting-guide", "--source", SOURCE
    )
    assert done.returncode == 0, done.stderr
    (favourite,) = person.get("/api/me/favourites").json()["meetings"]
    assert favourite["id"] == mid("sthlm-monday")
    assert favourite["name"] == "Måndagsgruppen (ny lokal)"
