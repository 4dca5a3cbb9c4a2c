"""Issue 14's BMLT rules (formats by world id, languages, --formats) and the import summary."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fotfeste.meetings import bmlt, meeting_guide
from fotfeste.meetings.importer import ImportReport
from tests.conftest import SHARED_DATA

RECORD: dict[str, Any] = {
    "id_bigint": "1",
    "meeting_name": "Clean in Berlin",
    "weekday_tinyint": "3",
    "start_time": "19:00:00",
    "duration_time": "01:30:00",
    "time_zone": "Europe/Berlin",
    "location_street": "Unter den Linden 5",
    "location_municipality": "Berlin",
    "location_postal_code_1": "10117",
    "latitude": "52.517",
    "longitude": "13.389",
}


def fmt(id_: str, key: str, name: str, world: str = "", kind: str = "FC3") -> dict[str, str]:
    return {"id": id_, "key_string": key, "name_string": name, "world_id": world,
            "format_type_enum": kind, "lang": "en"}  # fmt: skip


# A German server's formats as GetFormats with lang_enum=en answers them (names in English).
BERLIN_FORMATS = [
    fmt("1", "O", "Open", "OPEN"),
    fmt("2", "G", "Closed", "CLOSED"),
    fmt("3", "EN", "English", "LANG", "LANG"),
    fmt("4", "DE", "German", "LANG", "LANG"),
    fmt("5", "RU", "Russian", "RU"),
    fmt("6", "FA", "Farsi", "FA"),
    fmt("7", "PL", "Polish", "LANG"),
    fmt("8", "O", "Online meeting"),  # no world id, and its key clashes with "Open"
    fmt("9", "VM", "Virtual Meeting", "VM"),
    fmt("10", "HY", "Hybrid", "HYBR"),
    fmt("11", "ZT", "Temporarily closed", "TC"),
    fmt("12", "DA", "Danish", "DA"),
    fmt("13", "SV", "Swedish", "LANG"),
    fmt("14", "NO", "Norwegian", "LANG"),
    fmt("15", "L/R", "Lithuanian/Russian", "LANG"),
    fmt("16", "ENG", "English speaking", ""),
    fmt("17", "Pi", "Pitch", ""),
]


@pytest.mark.parametrize(
    ("shared_ids", "types", "attendance"),
    [
        ("1", ("O",), "hybrid"),
        ("2", ("C",), "hybrid"),
        ("1,3", ("O", "EN"), "hybrid"),
        ("4", ("DE",), "hybrid"),
        ("5,6,7", ("RUS", "FA", "POL"), "hybrid"),
        ("12,13,14", ("DA", "SV", "NO"), "hybrid"),
        ("15", ("LT", "RUS"), "hybrid"),
        ("16", ("EN",), "hybrid"),
        ("17", (), "hybrid"),  # known, no Meeting Guide equivalent: nothing, not counted
        # A link and a street address: hybrid; VM alone makes it online, VM with HYBR hybrid.
        # The server's "online meeting" format is never "open", even with the key "O".
        ("8,3", ("EN",), "online"),
        ("9,3", ("EN",), "online"),
        ("9,10", (), "hybrid"),
        ("11", ("TC",), "online"),
    ],
)
def test_formats_by_world_id_and_languages(
    shared_ids: str, types: tuple[str, ...], attendance: str
) -> None:
    record = {**RECORD, "format_shared_id_list": shared_ids,
              "virtual_meeting_link": "https://meet.example.org/b"}  # fmt: skip
    result = bmlt.parse([record], fellowship="NA", formats=BERLIN_FORMATS)
    (meeting,) = result.meetings
    assert (meeting.types, meeting.attendance) == (types, attendance)
    assert result.formats_unmapped == 0
    if attendance == "online":
        assert meeting.lat is None and meeting.address is None


def test_a_key_with_two_meanings_is_not_used() -> None:
    # "O" is "Open" and "Online meeting" on this server: a meeting that names it by key is not
    # made open; it is counted as not mapped instead.
    record = {**RECORD, "formats": "O,EN"}
    result = bmlt.parse([record], fellowship="NA", formats=BERLIN_FORMATS)
    assert result.meetings[0].types == ("EN",)
    assert result.formats_unmapped == 1


def test_a_format_without_world_id_maps_by_key_only_when_its_name_agrees() -> None:
    formats = [fmt("1", "O", "Open"), fmt("2", "C", "Online"), fmt("3", "W", "Women")]
    record = {**RECORD, "format_shared_id_list": "1,2,3",
              "virtual_meeting_link": "https://meet.example.org/b"}  # fmt: skip
    (meeting,) = bmlt.parse([record], fellowship="NA", formats=formats).meetings
    assert (meeting.types, meeting.attendance) == (("O", "W"), "online")


def test_the_sample_keys_map_through_its_used_formats() -> None:
    sample = json.loads((SHARED_DATA / "bmlt-sample-search.json").read_text())
    result = bmlt.parse(sample, fellowship="NA", default_timezone="America/New_York")
    assert len(result.meetings) == 53 and result.formats_unmapped == 0


def test_without_a_formats_list_unmapped_formats_are_counted_and_formats_file_fixes_it() -> None:
    sample = json.loads((SHARED_DATA / "bmlt-sample-search.json").read_text())
    formats = json.loads((SHARED_DATA / "bmlt-sample-formats.json").read_text())
    bare = bmlt.parse(sample["meetings"], fellowship="NA", default_timezone="America/New_York")
    with_formats = bmlt.parse(
        sample["meetings"], fellowship="NA", default_timezone="America/New_York", formats=formats
    )
    with_formats_meeting = next(m for m in with_formats.meetings if m.source_key == "2566")
    assert len(bare.meetings) == len(with_formats.meetings) == 53
    # Every meeting that names a format (38 of 53) could not be mapped without the list.
    assert bare.formats_unmapped == 38 and with_formats.formats_unmapped == 0
    assert with_formats_meeting.types == ("O",)
    assert "38 meetings have formats that no formats list explains" in "\n".join(
        ImportReport.of("na", bare).lines()
    )


@pytest.mark.parametrize(
    ("changes", "end", "corrected"),
    [
        ({"duration_time": "01:30:00"}, "20:30", 0),
        ({"duration_time": None}, "20:00", 0),
        ({"duration_time": "00:00:00"}, "20:00", 1),
        ({"duration_time": "23:59:00"}, "20:00", 1),
    ],
)
def test_bmlt_durations(changes: dict[str, Any], end: str, corrected: int) -> None:
    result = bmlt.parse([{**RECORD, **changes}], fellowship="NA")
    assert result.meetings[0].end_time == end
    assert result.corrected.get("end times", 0) == corrected


@pytest.mark.parametrize(
    ("changes", "attendance", "address"),
    [
        ({"venue_type": "3", "virtual_meeting_link": "https://meet.example.org/b"}, "hybrid",
         "Unter den Linden 5, Berlin, 10117"),
        # Hybrid without a link is a place to go; without a street it is a way in online.
        ({"venue_type": "3"}, "in_person", "Unter den Linden 5, Berlin, 10117"),
        ({"venue_type": "3", "virtual_meeting_link": "https://meet.example.org/b",
          "location_street": "", "location_postal_code_1": ""}, "online", None),
    ],
)  # fmt: skip
def test_bmlt_hybrid_needs_a_place_and_a_link(
    changes: dict[str, Any], attendance: str, address: str | None
) -> None:
    (meeting,) = bmlt.parse([{**RECORD, **changes}], fellowship="NA").meetings
    assert (meeting.attendance, meeting.address) == (attendance, address)


def test_bmlt_not_listed_and_no_day() -> None:
    records = [
        {**RECORD, "id_bigint": "2", "published": "0"},
        {**RECORD, "id_bigint": "3", "location_street": "", "location_postal_code_1": ""},
        {**RECORD, "id_bigint": "4", "weekday_tinyint": ""},
        {**RECORD, "id_bigint": "5", "meeting_name": "Clean &amp; Serene"},
    ]
    result = bmlt.parse(records, fellowship="NA")
    assert result.not_listed == {"unpublished": 1, "no place or link": 1}
    assert result.reasons() == {"no day": 1}
    assert [m.name for m in result.meetings] == ["Clean & Serene"]


# --- the summary ----------------------------------------------------------------------------


def test_the_summary_counts_every_reason_in_the_cli_and_one_log_line() -> None:
    base = {"slug": "x", "name": "X", "day": 1, "time": "19:00", "timezone": "Europe/Oslo",
            "formatted_address": "Storgata 1, 0155 Oslo"}  # fmt: skip
    records = [
        {**base, "slug": "a", "time": "7 pm", "end_time": "7 pm", "types": "[open]"},
        {**base, "slug": "b", "types": ["O", "Bring a friend"],
         "conference_url": "https://a.example/1, https://b.example/2"},
        {**base, "slug": "c", "formatted_address": "Oslo, Norway",
         "conference_url": "https://a.example/3"},
        {**base, "slug": "d", "attendance_option": "inactive"},
        {**base, "slug": "e", "formatted_address": None},
        {**base, "slug": "f", "day": None},
    ]  # fmt: skip
    report = ImportReport.of("aa-no", meeting_guide.parse(records, fellowship="AA"))
    text = "\n".join(report.lines())
    assert text.splitlines()[0] == ("aa-no: 3 meetings imported, 1 records rejected, 2 not listed")
    for expected in (
        "1 × no day",
        "corrected: 1 × end times, 1 × links, 1 × times, 1 × types",
        "approximate places: 1",
        "not listed: 1 × inactive, 1 × no place or link",
        "types not mapped: 1 records",
        "'Bring a friend' × 1",
    ):
        assert expected in text, text
    assert report.line() == (
        "imported 3, rejected 1 (1 × no day), corrected 4 (1 × end times, 1 × links,"
        " 1 × times, 1 × types), approximate places 1, not listed 2 (1 × inactive,"
        " 1 × no place or link), types not mapped 1, formats not mapped 0"
    )
