"""Pure meeting rules: times, next start across DST, distances, boxes, feed parsing, calendar."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, time
from typing import Any

import pytest
from icalendar import Calendar

from fotfeste.meetings import bmlt, meeting_guide
from fotfeste.meetings.calendar import meeting_calendar
from fotfeste.meetings.logic import (
    SourceError,
    bounding_boxes,
    derive_attendance,
    great_circle_km,
    meeting_id,
    next_start,
    parse_clock_time,
)
from fotfeste.meetings.models import Location, Meeting
from fotfeste.meetings.types import LOCALES, TYPE_NAMES, type_names
from tests.conftest import SHARED_DATA


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:00", time(19, 0)),
        ("7:30", time(7, 30)),
        ("19:00:00", time(19, 0)),
        (" 18:45 ", time(18, 45)),
        ("1900", time(19, 0)),
        ("19.30", time(19, 30)),
        ("24:00", time(0, 0)),
        ("24:30", None),
        ("19:60", None),
        ("7pm", time(19, 0)),
        ("7", None),
        ("", None),
        (1900, None),
        (None, None),
    ],
)
def test_parse_clock_time(text: object, expected: time | None) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    ("day", "start", "zone", "now", "expected"),
    [
        # Monday 2026-03-16 11:00 UTC = 12:00 in Stockholm.
        (1, "19:00", "Europe/Stockholm", "2026-03-16T11:00Z", "2026-03-16T19:00:00+01:00"),
        (1, "12:00", "Europe/Stockholm", "2026-03-16T11:00Z", "2026-03-16T12:00:00+01:00"),
        (1, "11:59", "Europe/Stockholm", "2026-03-16T11:00Z", "2026-03-23T11:59:00+01:00"),
        (0, "10:00", "Europe/Stockholm", "2026-03-16T11:00Z", "2026-03-22T10:00:00+01:00"),
        # The week of the spring change: Sunday 29 March is summer time.
        (0, "19:00", "Europe/Oslo", "2026-03-23T12:00Z", "2026-03-29T19:00:00+02:00"),
        # A start inside the gap (02:30 does not exist that night) moves to 03:30.
        (0, "02:30", "Europe/Copenhagen", "2026-03-28T12:00Z", "2026-03-29T03:30:00+02:00"),
        # Autumn overlap: 02:30 happens twice; the first (summer time) is meant.
        (0, "02:30", "Europe/Stockholm", "2026-10-24T12:00Z", "2026-10-25T02:30:00+02:00"),
        (0, "19:00", "Europe/Stockholm", "2026-10-24T12:00Z", "2026-10-25T19:00:00+01:00"),
        # Already Tuesday in Auckland while it is Monday in UTC.
        (2, "07:00", "Pacific/Auckland", "2026-03-16T17:00Z", "2026-03-17T07:00:00+13:00"),
        (6, "23:30", "America/New_York", "2026-03-16T11:00Z", "2026-03-21T23:30:00-04:00"),
    ],
)
def test_next_start_in_the_meetings_zone(
    day: int, start: str, zone: str, now: str, expected: str
) -> None:
    instant = datetime.fromisoformat(now.replace("Z", "+00:00"))
    assert next_start(day, start, zone, instant).isoformat() == expected


def test_next_start_refuses_naive_now_and_bad_day() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_start(1, "19:00", "Europe/Oslo", datetime(2026, 3, 16))
    with pytest.raises(ValueError, match="day"):
        next_start(7, "19:00", "Europe/Oslo", datetime(2026, 3, 16, tzinfo=UTC))


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((59.3293, 18.0686), (59.9139, 10.7522), 416.0),  # Stockholm–Oslo
        ((55.6761, 12.5683), (55.6050, 13.0038), 28.0),  # Copenhagen–Malmö
        ((60.3913, 5.3221), (60.3913, 5.3221), 0.0),
        ((0.0, 179.9), (0.0, -179.9), 22.2),  # across the antimeridian
        ((90.0, 0.0), (-90.0, 0.0), 20015.1),
    ],
)
def test_great_circle_km(a: tuple[float, float], b: tuple[float, float], km: float) -> None:
    assert great_circle_km(*a, *b) == pytest.approx(km, abs=1.0)


@pytest.mark.parametrize(
    ("lat", "lon", "radius", "boxes"),
    [
        (59.33, 18.07, 25, 1),
        (0.0, 179.95, 50, 2),
        (0.0, -179.95, 50, 2),
        (89.9, 0.0, 50, 1),
    ],
)
def test_bounding_boxes_cover_the_circle(lat: float, lon: float, radius: float, boxes: int) -> None:
    found = bounding_boxes(lat, lon, radius)
    assert len(found) == boxes
    # Points on the circle in eight directions lie in some box.
    for bearing_lat, bearing_lon in [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1)]:
        step = radius / 111.2 * 0.99
        plat = lat + bearing_lat * step / (math.sqrt(2) if bearing_lon else 1)
        scale = math.cos(math.radians(lat)) or 1e-9
        plon = lon + bearing_lon * step / scale / (math.sqrt(2) if bearing_lat else 1)
        plon = (plon + 540) % 360 - 180
        plat = max(-90, min(90, plat))
        if great_circle_km(lat, lon, plat, plon) <= radius:
            assert any(a <= plat <= b and c <= plon <= d for a, b, c, d in found)


@pytest.mark.parametrize(
    ("link", "address", "expected"),
    [
        (True, True, "hybrid"),
        (True, False, "online"),
        (False, True, "in_person"),
        (False, False, "in_person"),
    ],
)
def test_attendance_is_derived(link: bool, address: bool, expected: str) -> None:
    assert derive_attendance(online_link=link, specific_address=address) == expected


def test_meeting_ids_are_stable_and_source_specific() -> None:
    assert meeting_id("aa-se", "monday") == meeting_id("aa-se", "monday")
    assert meeting_id("aa-se", "monday") != meeting_id("aa-no", "monday")
    assert len(meeting_id("aa-se", "monday")) == 22


# --- Meeting Guide ------------------------------------------------------------------------

BASE = {
    "name": "Måndagsgruppen",
    "slug": "mandag",
    "day": 1,
    "time": "19:00",
    "timezone": "Europe/Stockholm",
    "formatted_address": "Exempelgatan 1, Stockholm",
    "latitude": 59.33,
    "longitude": 18.07,
}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"name": ""}, "no name"),
        ({"name": None}, "no name"),
        ({"day": 7}, "impossible day"),
        ({"day": "someday"}, "impossible day"),
        ({"day": []}, "no day"),
        ({"time": "25:00"}, "impossible time"),
        ({"time": None}, "no time"),
        ({"timezone": "Europe/Atlantis"}, "unknown time zone"),
        ({"timezone": None}, "no time zone"),
    ],
)
def test_meeting_guide_rejects_with_reason(changes: dict[str, Any], reason: str) -> None:
    result = meeting_guide.parse([{**BASE, **changes}, {**BASE, "slug": "ok"}], fellowship="AA")
    assert [r.reason for r in result.rejections] == [reason]
    assert [m.source_key for m in result.meetings] == ["ok"]


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"day": "3", "time": "18:30:00"}, {"day": 3, "time": "18:30", "end_time": "19:30"}),
        ({"end_time": "20:30"}, {"end_time": "20:30"}),
        ({"time": "23:30"}, {"end_time": "00:30"}),
        ({"latitude": "59.5", "longitude": "18.5"}, {"lat": 59.5, "lon": 18.5}),
        ({"latitude": 0, "longitude": 0}, {"lat": None}),
        ({"types": ["O", "D", "O"]}, {"types": ("O", "D")}),
        ({"types": "O,SV"}, {"types": ("O", "SV")}),
        ({"types": ["TC", "C"]}, {"temporarily_closed": True}),
        ({"conference_url": "https://meet.example.org/x"}, {"attendance": "hybrid"}),
        (
            {"conference_url": "https://meet.example.org/x", "approximate": "yes"},
            {"attendance": "online", "address": None, "lat": None},
        ),
        ({"conference_phone": "+46 8 000 000", "approximate": True}, {"attendance": "online"}),
        (
            {"conference_url": "javascript:alert(1)"},
            {"attendance": "in_person", "conference_url": None},
        ),
        ({"notes": ["Door B", "Floor 2"]}, {"notes": "Door B\nFloor 2"}),
        (
            {"formatted_address": None, "address": "Storgatan 1", "city": "Oslo"},
            {"address": "Storgatan 1, Oslo"},
        ),
    ],
)
def test_meeting_guide_reads_sloppy_values(changes: dict[str, Any], check: dict[str, Any]) -> None:
    result = meeting_guide.parse([{**BASE, **changes}], fellowship="AA")
    assert not result.rejections
    (meeting,) = result.meetings
    for name, value in check.items():
        assert getattr(meeting, name) == value, name


def test_meeting_guide_day_list_gives_one_meeting_per_day() -> None:
    result = meeting_guide.parse([{**BASE, "day": [1, 3, "5"]}], fellowship="AA")
    assert [(m.day, m.source_key) for m in result.meetings] == [
        (1, "mandag#1"),
        (3, "mandag#3"),
        (5, "mandag#5"),
    ]


def test_meeting_guide_duplicates_and_default_zone() -> None:
    records = [{**BASE, "timezone": None}, {**BASE, "timezone": None}, "junk"]
    result = meeting_guide.parse(records, fellowship="NA", default_timezone="Europe/Oslo")
    assert [m.timezone for m in result.meetings] == ["Europe/Oslo"]
    assert result.meetings[0].fellowship == "NA"
    assert result.reasons() == {"duplicate slug": 1, "not an object": 1}


def test_meeting_guide_records_without_slug_on_other_days_are_all_kept() -> None:
    # A feed without slugs that writes one record per day: the same group, time and place.
    noslug = {k: v for k, v in BASE.items() if k != "slug"}
    records = [{**noslug, "day": day} for day in (1, 3, 5)] + [{**noslug, "day": 5}]
    result = meeting_guide.parse(records, fellowship="AA")
    assert [m.day for m in result.meetings] == [1, 3, 5]
    assert len({m.source_key for m in result.meetings}) == 3
    assert result.reasons() == {"duplicate slug": 1}  # only the real repeat


def test_meeting_guide_refuses_a_document_that_is_not_a_list() -> None:
    with pytest.raises(SourceError):
        meeting_guide.parse({"name": "x"}, fellowship="AA")
    assert len(meeting_guide.parse({"meetings": [BASE]}, fellowship="AA").meetings) == 1


# --- BMLT ---------------------------------------------------------------------------------


def _bmlt_sample() -> Any:
    return json.loads((SHARED_DATA / "bmlt-sample-search.json").read_text())


def test_bmlt_sample_imports_with_world_id_types() -> None:
    result = bmlt.parse(_bmlt_sample(), fellowship="NA", default_timezone="America/New_York")
    assert len(result.meetings) == 53 and not result.rejections
    first = next(m for m in result.meetings if m.source_key == "2566")
    # weekday_tinyint 2 (Monday in BMLT) is 1 in Meeting Guide numbering.
    assert (first.day, first.time, first.end_time) == (1, "19:00", "20:00")
    # O -> OPEN -> O, RF -> VAR (no equivalent), To -> TOP (none).
    assert first.types == ("O",)
    assert first.attendance == "in_person"
    assert first.address == "128 Main street, Clifton Springs, NY"
    assert first.lat == pytest.approx(42.9613734)


def test_bmlt_without_zone_is_rejected_per_record() -> None:
    result = bmlt.parse(_bmlt_sample(), fellowship="NA")
    assert result.reasons() == {"no time zone": 53}


def test_bmlt_types_use_shared_ids_over_language_keys() -> None:
    formats = json.loads((SHARED_DATA / "bmlt-sample-formats.json").read_text())
    record = {
        "id_bigint": "9",
        "meeting_name": "Hoppets grupp",
        "weekday_tinyint": "7",
        "start_time": "18:00:00",
        "duration_time": "01:30:00",
        "time_zone": "Europe/Stockholm",
        # Key strings in another language would mean nothing; the shared ids 4 and 8 do.
        "formats": "S,Di",
        "format_shared_id_list": "4,8",
        "venue_type": "3",
        "virtual_meeting_link": "https://meet.example.org/hopp",
        "location_street": "Exempelgatan 2",
        "location_municipality": "Uppsala",
        "latitude": "59.86",
        "longitude": "17.64",
        "published": "1",
    }
    result = bmlt.parse(
        [record, {**record, "id_bigint": "10", "published": "0"}], fellowship="NA", formats=formats
    )
    (meeting,) = result.meetings
    assert meeting.types == ("C", "D")
    assert (meeting.day, meeting.end_time, meeting.attendance) == (6, "19:30", "hybrid")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"weekday_tinyint": "0"}, "impossible day"),
        ({"weekday_tinyint": "8"}, "impossible day"),
        ({"start_time": "noon"}, "impossible time"),
        ({"meeting_name": " "}, "no name"),
        ({"id_bigint": None}, "no id_bigint"),
        ({"time_zone": "Nowhere/Land"}, "unknown time zone"),
    ],
)
def test_bmlt_rejects_with_reason(changes: dict[str, Any], reason: str) -> None:
    record = {
        "id_bigint": "1",
        "meeting_name": "X",
        "weekday_tinyint": "2",
        "start_time": "19:00:00",
        "time_zone": "Europe/Oslo",
    }
    assert bmlt.parse([{**record, **changes}], fellowship="NA").reasons() == {reason: 1}


def test_bmlt_root_server_query() -> None:
    assert bmlt.is_root_server("https://bmlt.example.org/main_server")
    assert not bmlt.is_root_server(
        "https://bmlt.example.org/main_server/client_interface/json/?x=1"
    )
    url = bmlt.search_url("https://bmlt.example.org/main_server/", 2, 100)
    assert url == (
        "https://bmlt.example.org/main_server/client_interface/json/"
        "?switcher=GetSearchResults&get_used_formats=1&lang_enum=en&sort_keys=id_bigint"
        "&page_size=100&page_num=2"
    )


# --- type names and calendar --------------------------------------------------------------


def test_every_meeting_guide_code_has_names_in_four_languages() -> None:
    spec = json.loads((SHARED_DATA / "meeting-guide-types.json").read_text())
    assert set(spec) <= set(TYPE_NAMES)
    for locale in LOCALES:
        names = type_names(locale)
        assert all(name.strip() for name in names.values())
    assert type_names("sv")["C"] == "Slutet möte" and type_names("da")["O"] == "Åbent møde"


def test_calendar_is_weekly_with_tzid_and_timezone() -> None:
    meeting = Meeting(
        id="abc",
        name="Måndagsgruppen",
        fellowship="AA",
        day=1,
        time="19:00",
        end_time="20:30",
        timezone="Europe/Stockholm",
        types=["O"],
        attendance="hybrid",
        location=Location(name="Demohuset", address="Exempelgatan 1", lat=59.33, lon=18.07),
        distance_km=None,
        next_start="",
        conference_url="https://meet.example.org/x",
    )
    text = meeting_calendar(meeting, datetime(2026, 3, 16, 11, tzinfo=UTC), "fotfeste.test")
    assert b"DTSTART;TZID=Europe/Stockholm:20260316T190000" in text
    assert b"DTEND;TZID=Europe/Stockholm:20260316T203000" in text
    assert b"RRULE:FREQ=WEEKLY;BYDAY=MO" in text
    parsed = Calendar.from_ical(text)
    assert [c.name for c in parsed.walk() if c.name == "VTIMEZONE"] == ["VTIMEZONE"]
    event = next(iter(parsed.walk("VEVENT")))
    assert str(event["summary"]) == "Måndagsgruppen"
    assert str(event["uid"]) == "abc@fotfeste.test"


# --- configured feeds ---------------------------------------------------------------------


def test_meeting_feeds_are_read_from_the_environment() -> None:
    from fotfeste.settings import SettingsError, settings_from_env

    feeds = json.dumps(
        [
            {"name": "aa-se", "url": "https://example.org/aa.json", "format": "meeting-guide"},
            {
                "name": "na-no",
                "url": "https://bmlt.example.org/main_server",
                "format": "bmlt",
                "timezone": "Europe/Oslo",
            },
        ]
    )
    settings = settings_from_env(
        {"FOTFESTE_MEETING_FEEDS": feeds, "FOTFESTE_MEETING_FEED_INTERVAL": "3600"}
    )
    assert [f.name for f in settings.meeting_feeds] == ["aa-se", "na-no"]
    assert settings.meeting_feeds[1].timezone == "Europe/Oslo"
    assert settings.meeting_feed_interval_seconds == 3600
    assert settings_from_env({}).meeting_feeds == ()
    for bad in (
        "not json",
        '[{"name": "x", "url": "ftp://x", "format": "bmlt"}]',
        '[{"name": "x", "url": "https://x", "format": "csv"}]',
        '[{"name": "x", "url": "https://x", "format": "bmlt", "colour": "red"}]',
    ):
        with pytest.raises(SettingsError, match="FOTFESTE_MEETING_FEEDS"):
            settings_from_env({"FOTFESTE_MEETING_FEEDS": bad})


def test_demo_meetings_are_clearly_fictional_and_cover_the_cities() -> None:
    from fotfeste.meetings.demo import demo_meetings

    meetings = demo_meetings()
    assert all("(demo)" in m.name and m.notes and "made up" in m.notes for m in meetings)
    assert {m.address.rsplit(", ", 1)[1] for m in meetings if m.address} == {
        "Stockholm", "Göteborg", "Malmö", "Oslo", "Bergen", "København", "Aarhus",
    }  # fmt: skip
    online = [m for m in meetings if m.attendance == "online"]
    assert online and all(m.conference_url and ".example.org/" in m.conference_url for m in online)
    assert {m.day for m in meetings} == set(range(7))
    assert len({m.source_key for m in meetings}) == len(meetings)


def test_progress_bar_draws_on_a_terminal_only() -> None:
    import io

    from fotfeste.meetings.cli import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(screen)
    bar("store", 5000, 10000)
    bar("store", 10000, 10000)
    bar("download", 1500, 0)
    bar.close()
    drawn = screen.getvalue()
    assert "[###############---------------] 5000/10000" in drawn
    assert "[##############################] 10000/10000" in drawn
    assert "download 1500 records" in drawn and drawn.endswith("\n")
    small = Terminal()
    ProgressBar(small)("store", 10, 20)  # a small source finishes before a bar would help
    assert small.getvalue() == ""
    piped = io.StringIO()
    ProgressBar(piped)("store", 5000, 10000)
    assert piped.getvalue() == ""


def test_next_start_with_now_in_the_meetings_own_zone_during_the_overlap() -> None:
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    # 02:40 summer time, the first of the two 02:40s on 25 October 2026.
    now = datetime(2026, 10, 25, 0, 40, tzinfo=UTC).astimezone(oslo)
    assert now.fold == 0
    # A Sunday 02:30 meeting began ten minutes ago: next week, not "now".
    start = next_start(0, "02:30", "Europe/Oslo", now)
    assert start.isoformat() == "2026-11-01T02:30:00+01:00"
    later = datetime(2026, 10, 25, 1, 20, tzinfo=UTC).astimezone(oslo)  # 02:20 winter time
    assert later.fold == 1
    assert next_start(0, "02:30", "Europe/Oslo", later).isoformat() == "2026-11-01T02:30:00+01:00"
