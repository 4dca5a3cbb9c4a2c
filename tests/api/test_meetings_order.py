"""Nearby meetings in both orders over HTTP: nearest first, or the next start first (a week
ahead, past midnight and from Saturday into Sunday, as TSML UI lists them), and ties by id."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from fotfeste.clock import FixedClock
from fotfeste.meetings import soonest, store
from fotfeste.meetings.logic import meeting_id
from tests.api.meetings_fixtures import run_import, write_feed
from tests.conftest import DEFAULT_NOW, LiveServer, make_settings, start_server

SOURCE = "test-order"
# Götaplatsen in Gothenburg; each meeting is due north of it, `km` away (0.009° ≈ 1 km).
POINT = (57.6970, 11.9790)
# Far from the rest (Luleå): thirty meetings in one church hall, all on Wednesday at 18:00.
HALL = (65.5848, 22.1567)
HALL_SLUGS = [f"hall-{n:02d}" for n in range(30)]
LUNCH_SLUGS = [f"lunch-{n:02d}" for n in range(60)]


def place(slug: str, day: int, time: str, km: float, **extra: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "day": day,
        "time": time,
        "timezone": "Europe/Stockholm",
        "types": ["O"],
        "formatted_address": f"Provgatan {int(km * 10) + 1}, 411 38 Göteborg, Sweden",
        "latitude": round(POINT[0] + km * 0.009, 5),
        "longitude": POINT[1],
        **extra,
    }


FEED: list[dict[str, Any]] = [
    place("sat-morning", 6, "10:00", 0.5),
    place("mon-evening", 1, "19:00", 1.0),
    place("tue-early", 2, "00:15", 2.0),
    place("mon-late", 1, "23:45", 3.0),
    place("sun-morning", 0, "08:00", 4.0, conference_url="https://meet.example.org/sunday"),
    place("sat-late", 6, "22:30", 5.0),
    # Its place is closed for now: never a place to go, in either order.
    place("closed-room", 1, "23:40", 0.2, types=["O", "TC"]),
    # Online: a room name and a city, but no place to go.
    {
        "slug": "online-room",
        "name": "Kvällsmöte online",
        "day": 1,
        "time": "21:00",
        "timezone": "Europe/Stockholm",
        "location": "Digitala rummet",
        "formatted_address": "Göteborg, Sweden",
        "approximate": "yes",
        "latitude": POINT[0],
        "longitude": POINT[1],
        "conference_url": "https://meet.example.org/kvall",
    },
    # Sixty online meetings that all start at 12:05 on Monday, just after DEFAULT_NOW.
    *[
        {
            "slug": slug,
            "name": f"Lunchpaus {slug[-2:]}",
            "day": 1,
            "time": "12:05",
            "timezone": "Europe/Stockholm",
            "conference_url": f"https://meet.example.org/{slug}",
        }
        for slug in LUNCH_SLUGS
    ],
    *[
        {
            "slug": slug,
            "name": f"Salen {slug[-2:]}",
            "day": 3,
            "time": "18:00",
            "timezone": "Europe/Stockholm",
            "formatted_address": "Kyrkogatan 1, 972 32 Luleå, Sweden",
            "latitude": HALL[0],
            "longitude": HALL[1],
        }
        for slug in HALL_SLUGS
    ],
]


def mid(slug: str) -> str:
    return meeting_id(SOURCE, slug)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: these meetings stay out of the other tests' searches."""
    data_dir = tmp_path_factory.mktemp("order")
    started = start_server(make_settings(data_dir), FixedClock(DEFAULT_NOW))
    feed = write_feed(data_dir / "order.json", FEED)
    done = run_import(data_dir, str(feed), "--format", "meeting-guide", "--source", SOURCE)
    assert done.returncode == 0, done.stderr
    yield started
    started.stop()


@pytest.fixture(params=["sql", "python"])
def http(server: LiveServer, request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """Each test twice: distances measured in SQL, and as on an SQLite without math functions
    (the server runs in this process, so the switch reaches it)."""
    if request.param == "python":
        store._sql_math = soonest._sql_math = False
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield client
    finally:
        store._sql_math = soonest._sql_math = None
        server.clock.set(DEFAULT_NOW)


def slugs(http: httpx.Client, at: tuple[float, float] = POINT, **params: Any) -> list[str]:
    answer = http.get(
        "/api/meetings/nearby", params={"lat": at[0], "lon": at[1], "radius_km": 10, **params}
    )
    assert answer.status_code == 200, answer.text
    by_id = {mid(slug): slug for slug in [str(r["slug"]) for r in FEED]}
    return [by_id[m["id"]] for m in answer.json()["meetings"]]


NEAREST = ["sat-morning", "mon-evening", "tue-early", "mon-late", "sun-morning", "sat-late"]


def test_distance_is_the_default_order(http: httpx.Client) -> None:
    assert slugs(http) == NEAREST
    assert slugs(http, order="distance") == NEAREST


def test_next_wraps_past_midnight(http: httpx.Client, server: LiveServer) -> None:
    # Monday 16 March 2026, 23:30 in Gothenburg.
    server.clock.set(datetime(2026, 3, 16, 22, 30, tzinfo=UTC))
    assert slugs(http, order="next") == [
        "mon-late",  # in 15 minutes
        "tue-early",  # 00:15, after midnight
        "sat-morning",
        "sat-late",
        "sun-morning",
        "mon-evening",  # began at 19:00 tonight: next Monday
    ]
    # The nearest is unchanged by the clock.
    assert slugs(http) == NEAREST


def test_next_wraps_from_saturday_into_sunday(http: httpx.Client, server: LiveServer) -> None:
    # Saturday 21 March 2026, 22:00 in Gothenburg.
    server.clock.set(datetime(2026, 3, 21, 21, 0, tzinfo=UTC))
    answer = http.get(
        "/api/meetings/nearby",
        params={"lat": POINT[0], "lon": POINT[1], "radius_km": 10, "order": "next"},
    )
    meetings = answer.json()["meetings"]
    assert [m["next_start"] for m in meetings] == [
        "2026-03-21T22:30:00+01:00",
        "2026-03-22T08:00:00+01:00",
        "2026-03-23T19:00:00+01:00",
        "2026-03-23T23:45:00+01:00",
        "2026-03-24T00:15:00+01:00",
        "2026-03-28T10:00:00+01:00",
    ]
    # The limit applies after the order: the two soonest, although they are the farthest.
    assert slugs(http, order="next", limit=2) == ["sat-late", "sun-morning"]
    assert slugs(http, limit=2) == ["sat-morning", "mon-evening"]


def test_a_start_that_has_passed_by_seconds_is_next_weeks(
    http: httpx.Client, server: LiveServer
) -> None:
    # 22:30:30 on Saturday: the 22:30 meeting has begun, so it comes last.
    server.clock.set(datetime(2026, 3, 21, 21, 30, 30, tzinfo=UTC))
    assert slugs(http, order="next")[0] == "sun-morning"
    assert slugs(http, order="next")[-1] == "sat-late"


def test_next_respects_radius_and_filters(http: httpx.Client, server: LiveServer) -> None:
    server.clock.set(datetime(2026, 3, 21, 21, 0, tzinfo=UTC))
    assert slugs(http, order="next", radius_km=2.5) == ["mon-evening", "tue-early", "sat-morning"]
    assert slugs(http, order="next", day=1) == ["mon-evening", "mon-late"]
    assert slugs(http, order="next", fellowship="NA") == []


def test_a_hybrid_meeting_has_a_place_and_a_distance_in_both_orders(http: httpx.Client) -> None:
    for order in ("distance", "next"):
        answer = http.get(
            "/api/meetings/nearby",
            params={"lat": POINT[0], "lon": POINT[1], "radius_km": 10, "order": order},
        )
        hybrid = next(m for m in answer.json()["meetings"] if m["id"] == mid("sun-morning"))
        assert hybrid["attendance"] == "hybrid"
        assert hybrid["distance_km"] == pytest.approx(4.0, abs=0.05)
        assert hybrid["location"]["lat"] is not None
        assert hybrid["location"]["address"].startswith("Provgatan")


def test_a_temporarily_closed_place_says_so_and_is_not_listed(http: httpx.Client) -> None:
    assert "closed-room" not in slugs(http) + slugs(http, order="next")
    closed = http.get(f"/api/meetings/{mid('closed-room')}").json()
    assert closed["temporarily_closed"] is True
    assert closed["distance_km"] is None


def test_an_online_meeting_has_no_place_distance_or_point(http: httpx.Client) -> None:
    assert "online-room" not in slugs(http) + slugs(http, order="next")
    online = http.get(f"/api/meetings/{mid('online-room')}").json()
    assert online["attendance"] == "online" and online["distance_km"] is None
    assert (online["location"]["lat"], online["location"]["lon"]) == (None, None)
    answer = http.get(f"/api/meetings/{mid('online-room')}/calendar.ics")
    event = next(iter(Calendar.from_ical(answer.content).walk("VEVENT")))
    # Where to go is the link alone: no room, no city, no map point.
    assert str(event["location"]) == "https://meet.example.org/kvall"
    assert "geo" not in event


def test_ties_at_the_limit_go_by_id(http: httpx.Client) -> None:
    by_id = sorted(mid(slug) for slug in HALL_SLUGS)
    for order in ("distance", "next"):
        answer = http.get(
            "/api/meetings/nearby",
            params={"lat": HALL[0], "lon": HALL[1], "limit": 5, "order": order},
        )
        assert [m["id"] for m in answer.json()["meetings"]] == by_id[:5], order
    every = http.get("/api/meetings/nearby", params={"lat": HALL[0], "lon": HALL[1]})
    assert [m["id"] for m in every.json()["meetings"]] == by_id


def test_a_zone_that_arrives_with_a_new_feed_is_ordered_right(
    http: httpx.Client, server: LiveServer
) -> None:
    # Haparanda and Tornio, one town on two sides of a border and an hour apart.
    town = (65.8355, 24.1368)
    source = "test-border"  # each import replaces the last one
    local = {
        "slug": "haparanda",
        "name": "Haparanda",
        "day": 3,
        "time": "18:00",
        "timezone": "Europe/Stockholm",
        "formatted_address": "Storgatan 1, 953 31 Haparanda, Sweden",
        "latitude": town[0],
        "longitude": town[1],
    }
    feed = write_feed(server.settings.data_dir / f"{source}.json", [local])
    assert (
        run_import(
            server.settings.data_dir, str(feed), "--format", "meeting-guide", "--source", source
        ).returncode
        == 0
    )
    params = {"lat": town[0], "lon": town[1], "radius_km": 5, "order": "next"}
    names = [m["name"] for m in http.get("/api/meetings/nearby", params=params).json()["meetings"]]
    assert names == ["Haparanda"]
    # Tornio's meeting starts at 18:30 Finnish time, 17:30 in Haparanda: it comes first, even
    # though no meeting in that zone was known a moment ago.
    tornio = {
        **local,
        "slug": "tornio",
        "name": "Tornio",
        "time": "18:30",
        "timezone": "Europe/Helsinki",
        "formatted_address": "Hallituskatu 1, 95400 Tornio, Finland",
        "latitude": 65.8481,
        "longitude": 24.1466,
    }
    feed = write_feed(server.settings.data_dir / f"{source}.json", [local, tornio])
    assert (
        run_import(
            server.settings.data_dir, str(feed), "--format", "meeting-guide", "--source", source
        ).returncode
        == 0
    )
    names = [m["name"] for m in http.get("/api/meetings/nearby", params=params).json()["meetings"]]
    assert names == ["Tornio", "Haparanda"]


def test_online_ties_at_the_limit_go_by_id(http: httpx.Client, server: LiveServer) -> None:
    by_id = sorted(mid(slug) for slug in LUNCH_SLUGS)
    answer = http.get("/api/meetings/online", params={"limit": 5})
    assert [m["id"] for m in answer.json()["meetings"]] == by_id[:5]
    # At 12:05:30 they have all begun: next Monday's, after the evening meeting.
    server.clock.set(datetime(2026, 3, 16, 11, 5, 30, tzinfo=UTC))
    answer = http.get("/api/meetings/online", params={"limit": 2})
    assert [m["id"] for m in answer.json()["meetings"]] == [mid("online-room"), mid("sun-morning")]


@pytest.mark.parametrize("order", ["soonest", "", "NEXT", "distance,next"])
def test_an_unknown_order_is_a_400(http: httpx.Client, order: str) -> None:
    answer = http.get(
        "/api/meetings/nearby", params={"lat": POINT[0], "lon": POINT[1], "order": order}
    )
    assert answer.status_code == 400
    assert answer.json()["detail"]


def test_order_is_documented(http: httpx.Client) -> None:
    schema = http.get("/schema/openapi.json").json()
    parameters = schema["paths"]["/api/meetings/nearby"]["get"]["parameters"]
    order = next(p for p in parameters if p["name"] == "order")
    assert order["schema"]["enum"] == ["distance", "next"]
    assert order["schema"]["default"] == "distance"
    assert "soonest" in order["description"] and "by id" in order["description"]
