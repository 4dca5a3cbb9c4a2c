"""What the meetings domain offers other domains (reminders, staff outcomes), and the demo data."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime

import httpx

from fotfeste.clock import FixedClock
from fotfeste.db import Database
from fotfeste.meetings import store
from fotfeste.meetings.attendance import attendance_counts
from fotfeste.meetings.importer import replace_source
from fotfeste.meetings.logic import ParsedMeeting, ParseResult, meeting_id, next_start
from fotfeste.meetings.store import favourite_meetings_for_account
from tests.api.conftest import Person, sign_up
from tests.conftest import LiveServer


async def test_favourites_and_attendance_counts_for_other_domains(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(demo=True)
    kim: Person = sign_up(server.url)
    alex: Person = sign_up(server.url)
    monday = meeting_id("demo", "Stockholm-0")
    online = meeting_id("demo", "online-0-1")
    assert kim.put(f"/api/me/favourites/{monday}").status_code == 200
    assert kim.put(f"/api/me/favourites/{online}").status_code == 200
    for day, meeting in [("2026-03-01", monday), ("2026-03-10", monday), ("2026-03-10", None)]:
        body = {"date": day, **({"meeting_id": meeting} if meeting else {})}
        assert kim.post("/api/me/attendance", json=body).status_code == 201

    db = server.db  # the server's own, used on its loop
    favourites = server.run(favourite_meetings_for_account(db, kim.account_id))
    assert server.run(favourite_meetings_for_account(db, alex.account_id)) == []
    counts = server.run(attendance_counts(db, kim.account_id, date(2026, 3, 5)))
    assert server.run(attendance_counts(db, alex.account_id, date(2026, 1, 1))) == {}
    by_id = {f.id: f for f in favourites}
    assert set(by_id) == {monday, online}
    first = by_id[monday]
    assert (first.name, first.timezone) == ("Måndagsgruppen Stockholm (demo)", "Europe/Stockholm")
    # The reminders helper computes "N minutes before" from these with next_start.
    start = next_start(first.day, first.time, first.timezone, datetime(2026, 3, 16, 11, tzinfo=UTC))
    assert start.isoformat().startswith("2026-03-")
    assert counts == {date(2026, 3, 10): 2}
    kim.client.close()
    alex.client.close()


def test_demo_meetings_are_listed(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(demo=True, clock=FixedClock(datetime(2026, 3, 16, 11, tzinfo=UTC)))
    with httpx.Client(base_url=server.url) as http:
        for city, (lat, lon) in {
            "Stockholm": (59.3293, 18.0686),
            "Göteborg": (57.7089, 11.9746),
            "Malmö": (55.6050, 13.0038),
            "Oslo": (59.9139, 10.7522),
            "Bergen": (60.3913, 5.3221),
            "København": (55.6761, 12.5683),
            "Aarhus": (56.1629, 10.2039),
        }.items():
            meetings = http.get(
                "/api/meetings/nearby", params={"lat": lat, "lon": lon, "radius_km": 10}
            ).json()["meetings"]
            assert len(meetings) >= 6, city
            assert all(city in m["name"] and "(demo)" in m["name"] for m in meetings)
        online = http.get("/api/meetings/online", params={"language": "sv"}).json()["meetings"]
        assert online and all(m["attendance"] != "in_person" for m in online)


async def test_online_order_matches_exact_next_starts_across_dst(db: Database) -> None:
    """SQL preselects by this moment's offsets; the answer must equal a brute-force sort."""
    rng = random.Random(7)
    zones = ["Europe/Stockholm", "Europe/London", "America/New_York", "Australia/Sydney", "UTC"]
    meetings = [
        ParsedMeeting(
            source_key=str(i),
            name=f"Online {i}",
            day=rng.randrange(7),
            time=f"{rng.randrange(24):02d}:{rng.choice(['00', '30'])}",
            end_time="23:59",
            timezone=rng.choice(zones),
            fellowship="AA",
            attendance="online",
            conference_url="https://meet.example.org/x",
        )
        for i in range(400)
    ]
    clock = FixedClock(datetime(2026, 3, 27, 22, 0, tzinfo=UTC))
    await replace_source(db, clock, "t", "meeting-guide", "t", ParseResult(meetings))
    for now in (
        datetime(2026, 3, 27, 22, 0, tzinfo=UTC),  # two days before Europe's spring change
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 5, 0, tzinfo=UTC),  # New York's autumn change
    ):
        got = [m.id for m in await store.online(db, now, limit=60)]
        # Compared in UTC: Python compares two times of one ZoneInfo by wall clock,
        # which is wrong inside an autumn overlap.
        exact = sorted(
            meetings,
            key=lambda m: (
                next_start(m.day, m.time, m.timezone, now).astimezone(UTC),
                meeting_id("t", m.source_key),
            ),
        )
        assert got == [meeting_id("t", m.source_key) for m in exact[:60]], now
