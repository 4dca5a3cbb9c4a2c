"""Issue 14 over HTTP: feeds as they really are, imported by the CLI or the refresher, then
seen through the meetings API as a person's phone sees them."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from fotfeste.meetings.logic import meeting_id
from fotfeste.settings import MeetingFeed
from tests.api.meetings_fixtures import FEED, FeedServer, etag_route, run_import, write_feed
from tests.conftest import LiveServer
from tests.reliability.test_feed_fetching import gzip_bomb

SAN_JOSE = (37.3382, -121.8863)  # the city centre a feed gives its online meetings
LINK = "https://meet.example.org/"
US = {"timezone": "America/Los_Angeles", "day": 1}
RECORDS: list[dict[str, Any]] = [
    {**US, "slug": "online", "name": "Serenity &amp; Coffee", "time": "7:00 PM",
     "end_time": "7:00 PM", "types": "[open]", "formatted_address": "San Jose, CA, USA",
     "latitude": SAN_JOSE[0], "longitude": SAN_JOSE[1],
     "conference_url": f"{LINK}1, {LINK}2"},
    {**US, "slug": "closed-room", "name": "Closed room, meets online", "time": "18:00",
     "types": ["TC", "C"], "formatted_address": "123 Main St, San Jose, CA 95113, USA",
     "latitude": 37.3390, "longitude": -121.8870, "conference_url": f"{LINK}3"},
    {**US, "slug": "street", "name": "Downtown", "time": "7 pm", "types": ["open", "speaker"],
     "formatted_address": "200 E Santa Clara St, San Jose, CA 95113, USA",
     "latitude": 37.3377, "longitude": -121.8853},
    {**US, "slug": "crlf", "name": "Bad link", "time": "19:00",
     "formatted_address": "10 Market St, San Jose, CA 95113, USA",
     "latitude": 37.3360, "longitude": -121.8900,
     "conference_url": f"{LINK}4\r\nX-Injected: yes"},
    {**US, "slug": "inactive", "name": "Gone", "time": "19:00", "attendance_option": "inactive",
     "formatted_address": "1 Park Ave, San Jose, CA", "conference_url": f"{LINK}5"},
    {**US, "slug": "nowhere", "name": "Nowhere", "time": "19:00"},
    {"slug": "appointment", "name": "By appointment", "timezone": "America/Los_Angeles"},
]  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from tests.conftest import make_settings, start_server

    live = start_server(make_settings(tmp_path_factory.mktemp("feeds")))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def imported(server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    feed = write_feed(tmp_path_factory.mktemp("f") / "sj.json", RECORDS)
    done = run_import(server.settings.data_dir, str(feed), "--format", "meeting-guide",
                      "--source", "sj")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def mid(slug: str) -> str:
    return meeting_id("sj", slug)


def get(server: LiveServer, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", params=params, timeout=10)


def test_the_summary_names_every_reason(imported: str) -> None:
    assert "sj: 4 meetings imported, 1 records rejected, 2 not listed" in imported
    for line in (
        "1 × no day",
        "corrected: 1 × end times, 1 × links, 1 × links refused, 2 × times, 2 × types",
        "approximate places: 1",
        "not listed: 1 × inactive, 1 × no place or link",
    ):
        assert line in imported, imported


def test_an_approximate_place_is_never_a_point_in_nearby_search(
    server: LiveServer, imported: str
) -> None:
    near = get(server, "/api/meetings/nearby", lat=SAN_JOSE[0], lon=SAN_JOSE[1], radius_km=5)
    assert near.status_code == 200
    # Not the online meeting at the city centre, nor the closed room: only real places.
    assert [m["id"] for m in near.json()["meetings"]] == [mid("street"), mid("crlf")]
    online = get(server, "/api/meetings/online").json()["meetings"]
    by_id = {m["id"]: m for m in online}
    assert set(by_id) == {mid("online"), mid("closed-room")}
    for meeting in online:
        assert meeting["attendance"] == "online" and meeting["distance_km"] is None
        assert meeting["location"]["lat"] is None and meeting["location"]["address"] is None
    assert by_id[mid("closed-room")]["temporarily_closed"] is True


def test_a_search_by_type_finds_types_given_as_a_string_or_names(
    server: LiveServer, imported: str
) -> None:
    online = get(server, "/api/meetings/online", type="O").json()["meetings"]
    assert [m["id"] for m in online] == [mid("online")]
    near = get(server, "/api/meetings/nearby", lat=SAN_JOSE[0], lon=SAN_JOSE[1], type="SP")
    assert [m["id"] for m in near.json()["meetings"]] == [mid("street")]


def test_times_end_times_links_and_entities_as_people_see_them(
    server: LiveServer, imported: str
) -> None:
    online = get(server, f"/api/meetings/{mid('online')}").json()
    assert online["name"] == "Serenity & Coffee"
    assert (online["time"], online["end_time"]) == ("19:00", "20:00")
    assert online["conference_url"] == f"{LINK}1" and online["types"] == ["O"]
    street = get(server, f"/api/meetings/{mid('street')}").json()
    assert (street["time"], street["types"]) == ("19:00", ["O", "SP"])
    calendar = get(server, f"/api/meetings/{mid('online')}/calendar.ics")
    assert calendar.status_code == 200
    assert "DTSTART;TZID=America/Los_Angeles:20260316T190000" in calendar.text
    assert "DTEND;TZID=America/Los_Angeles:20260316T200000" in calendar.text


def test_a_link_with_control_characters_never_breaks_the_calendar(
    server: LiveServer, imported: str
) -> None:
    meeting = get(server, f"/api/meetings/{mid('crlf')}").json()
    assert meeting["conference_url"] is None and meeting["attendance"] == "in_person"
    calendar = get(server, f"/api/meetings/{mid('crlf')}/calendar.ics")
    assert calendar.status_code == 200 and "X-Injected" not in calendar.text


def test_meetings_not_listed_are_not_there(server: LiveServer, imported: str) -> None:
    for slug in ("inactive", "nowhere", "appointment"):
        assert get(server, f"/api/meetings/{mid(slug)}").status_code == 404


# --- BMLT: languages and --formats ------------------------------------------------------------

FORMATS = [
    {"id": "1", "key_string": "O", "name_string": "Open", "world_id": "OPEN", "lang": "en"},
    {"id": "2", "key_string": "EN", "name_string": "English", "world_id": "LANG", "lang": "en"},
    {"id": "3", "key_string": "DE", "name_string": "German", "world_id": "LANG", "lang": "en"},
    {"id": "4", "key_string": "O", "name_string": "Online meeting", "world_id": "", "lang": "en"},
]


def berlin(i: int, formats: str, venue: str) -> dict[str, str]:
    return {"id_bigint": str(i), "meeting_name": f"Berlin {i}", "weekday_tinyint": "3",
            "start_time": "19:00:00", "duration_time": "01:00:00", "time_zone": "Europe/Berlin",
            "format_shared_id_list": formats, "venue_type": venue,
            "virtual_meeting_link": f"{LINK}b{i}", "location_street": "Hauptstraße 5",
            "location_municipality": "Berlin", "location_postal_code_1": "10827"}  # fmt: skip


@pytest.mark.slow
def test_berlins_english_meetings_are_found_by_language(server: LiveServer, tmp_path: Path) -> None:
    meetings = [berlin(1, "2,4", "2"), berlin(2, "1,3", "3"), berlin(3, "3", "2")]
    bare = write_feed(tmp_path / "search.json", meetings)  # type: ignore[arg-type]
    formats = tmp_path / "formats.json"
    formats.write_text(json.dumps(FORMATS))
    args = ("--format", "bmlt", "--source", "berlin", "--fellowship", "NA")
    without = run_import(server.settings.data_dir, str(bare), *args)
    assert without.returncode == 0, without.stderr
    assert "formats not mapped: 3 meetings" in without.stdout and "--formats FILE" in without.stdout
    assert get(server, "/api/meetings/online", language="en").json()["meetings"] == []

    done = run_import(server.settings.data_dir, str(bare), *args, "--formats", str(formats))
    assert done.returncode == 0, done.stderr
    assert "formats not mapped" not in done.stdout
    english = get(server, "/api/meetings/online", language="en").json()["meetings"]
    assert [m["name"] for m in english] == ["Berlin 1"]
    assert english[0]["types"] == ["EN"]  # the "O" of "Online meeting" is not "open"
    german = get(server, "/api/meetings/online", language="de").json()["meetings"]
    assert sorted(m["name"] for m in german) == ["Berlin 2", "Berlin 3"]


# --- never lose a source by accident ------------------------------------------------------------


def _wait_for(check: Callable[[], Any], seconds: float = 10) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    yield from FeedServer(routes={}).serve()


@pytest.mark.slow
def test_a_refresh_that_would_shrink_the_source_keeps_it_and_retries(
    server_factory: Callable[..., LiveServer],
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="fotfeste.meetings.feeds")
    state = {"etag": '"v1"', "body": json.dumps(FEED).encode()}
    feed_server.routes["/feed.json"] = etag_route(state)
    feed_server.routes["/bomb.json"] = lambda _h, _q: (200, {"Content-Encoding": "gzip"}, bomb)
    bomb = gzip_bomb(100)
    live = server_factory(
        meeting_feeds=(
            MeetingFeed(name="aa", url=f"{feed_server.url}/feed.json", format="meeting-guide"),
            MeetingFeed(name="bomb", url=f"{feed_server.url}/bomb.json", format="meeting-guide"),
        ),
        meeting_feed_interval_seconds=60,
        meeting_feed_poll_seconds=0.05,
    )

    def source(name: str) -> tuple[int, str | None]:
        [(count,)] = live.query("SELECT count(*) FROM meetings WHERE source = ?", (name,))
        error = live.query("SELECT last_error FROM meeting_sources WHERE name = ?", (name,))
        return count, error[0][0] if error else None

    _wait_for(lambda: source("aa")[0] == 8)
    # Every count of the import in the refresher's one log line.
    assert any(
        "meeting feed aa: imported 8, rejected 2 (1 × no day, 1 × no name), corrected 0,"
        " approximate places 1, not listed 0" in r.getMessage()
        for r in caplog.records
    ), [r.getMessage() for r in caplog.records]
    assert "larger than 64 MiB" in (_wait_for(lambda: source("bomb")[1]) or "")

    # An empty answer, then two meetings of eight: each kept, and tried again next interval.
    for etag, body in (('"empty"', []), ('"two"', FEED[:2])):
        state.update(etag=etag, body=json.dumps(body).encode())
        live.clock.advance(timedelta(minutes=2))
        expected = f"kept the current meetings: the answer has {len(body)} meetings and aa has 8"
        _wait_for(lambda: (source("aa")[1] or "").startswith(expected))  # noqa: B023
        assert source("aa")[0] == 8
    assert any("kept the current meetings" in r.getMessage() for r in caplog.records)
    assert httpx.get(f"{live.url}/api/health").status_code == 200

    # The feed recovers: the next interval replaces the source as usual.
    state.update(etag='"v3"', body=json.dumps(FEED).encode())
    live.clock.advance(timedelta(minutes=2))
    _wait_for(lambda: source("aa")[1] is None)
    assert source("aa")[0] == 8
