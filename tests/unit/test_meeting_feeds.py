"""Issue 14's rules for reading real feeds, one table each, with fixtures written from the
Meeting Guide specification (code4recovery/spec) and how TSML UI and the 12 Step Meeting List
plugin read the same fields."""

from __future__ import annotations

from typing import Any

import pytest

from fotfeste.meetings import meeting_guide
from fotfeste.meetings.fields import conference_link, is_approximate_address
from fotfeste.meetings.logic import ParseResult

BASE: dict[str, Any] = {
    "name": "Måndagsgruppen",
    "slug": "mandag",
    "day": 1,
    "time": "19:00",
    "timezone": "Europe/Stockholm",
    "formatted_address": "Götgatan 50, 118 26 Stockholm, Sweden",
    "latitude": 59.31,
    "longitude": 18.07,
}
LINK = "https://meet.example.org/m"


def one(changes: dict[str, Any]) -> tuple[Any, ParseResult]:
    result = meeting_guide.parse([{**BASE, **changes}], fellowship="AA")
    assert not result.rejections, result.rejections
    return (result.meetings[0] if result.meetings else None), result


# --- 1. attendance --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "attendance", "point"),
    [
        # attendance_option decides, whatever the links and address say.
        ({"attendance_option": "online", "conference_url": LINK}, "online", False),
        ({"attendance_option": "hybrid", "conference_url": LINK}, "hybrid", True),
        ({"attendance_option": "in_person", "conference_url": LINK}, "in_person", True),
        ({"attendance_option": "In_Person"}, "in_person", True),
        # Hybrid is a place and a way in online; with only one of them it is that one.
        ({"attendance_option": "hybrid"}, "in_person", True),
        (
            {"attendance_option": "hybrid", "conference_url": LINK, "approximate": "yes"},
            "online",
            False,
        ),
        # Derived: a link and a street address is hybrid, a street address alone in person.
        ({"conference_url": LINK}, "hybrid", True),
        ({}, "in_person", True),
        # A temporarily closed place (TC) with a link or phone is online, not hybrid.
        ({"types": ["TC", "O"], "conference_url": LINK}, "online", False),
        ({"types": "TC", "conference_phone": "+46 8 000 000"}, "online", False),
        # Without a link it stays a closed place: listed as such, never a point to go to
        # (nearby search leaves temporarily closed places out).
        ({"types": ["TC"]}, "in_person", True),
        # A city, with a link, is an online meeting with no point (TSML UI: approximate).
        ({"formatted_address": "San Jose, CA, USA", "conference_url": LINK}, "online", False),
        ({"formatted_address": "Philadelphia, PA, USA", "conference_url": LINK}, "online", False),
        ({"formatted_address": "Stockholm, Sweden", "conference_url": LINK}, "online", False),
        # An explicit flag decides over the address.
        ({"approximate": "yes", "conference_url": LINK}, "online", False),
        ({"formatted_address": "Oslo, Norway", "approximate": "no"}, "in_person", True),
    ],
)
def test_attendance(changes: dict[str, Any], attendance: str, point: bool) -> None:
    meeting, _ = one(changes)
    assert meeting.attendance == attendance
    assert (meeting.lat is not None) is point
    if attendance == "online":
        assert meeting.address is None and meeting.lon is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"attendance_option": "inactive", "conference_url": LINK}, "inactive"),
        ({"formatted_address": None}, "no place or link"),
        ({"formatted_address": "San Jose, CA, USA"}, "no place or link"),
        ({"approximate": "yes"}, "no place or link"),
        ({"attendance_option": "online"}, "online without a link"),
        ({"attendance_option": "in_person", "formatted_address": "Berlin"},
         "in person without a place"),
        # The only link refused (not https) leaves nothing to go to.
        ({"formatted_address": "Chicago, IL, USA", "conference_url": "http://x.example/a"},
         "no place or link"),
    ],
)  # fmt: skip
def test_not_listed_is_counted_by_reason(changes: dict[str, Any], reason: str) -> None:
    meeting, result = one(changes)
    assert meeting is None and result.not_listed == {reason: 1}


def test_an_approximate_place_is_counted() -> None:
    _, result = one({"formatted_address": "San Jose, CA, USA", "conference_url": LINK})
    assert result.approximate == 1
    _, result = one({})
    assert result.approximate == 0


@pytest.mark.parametrize(
    "address",
    [
        "Götgatan 50, 118 26 Stockholm, Sweden",
        "Storgatan 5, Umeå",
        "Karl Johans gate 22, 0159 Oslo, Norway",
        "Kirkegata, Oslo",
        "Nørregade 7, 1165 København K, Denmark",
        "Ringvej, Aarhus",
        "Mannerheimintie 5, 00100 Helsinki, Finland",
        "Laugavegur 1, 101 Reykjavík, Iceland",
        "128 Main street, Clifton Springs, NY",
        "First Baptist/Central Avenue, Wellsboro, PA",
        "1600 Pennsylvania Ave NW, Washington, DC 20500, USA",
        "123 Queen St W, Toronto, ON M5H 2M9, Canada",
        "Unter den Linden 5, 10117 Berlin, Germany",
        "Alexanderplatz, Berlin",
    ],
)
def test_street_addresses_are_specific(address: str) -> None:
    assert not is_approximate_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "San Jose, CA, USA",
        "Philadelphia, PA, USA",
        "Wicker Park, Chicago, IL, USA",
        "St. Paul, MN, USA",
        "Toronto, ON, Canada",
        "Stockholm, Sweden",
        "Oslo",
        "København, Denmark",
        "Helsinki, Finland",
        "Reykjavík, Iceland",
        "Berlin, Germany",
        "Online",
        None,
    ],
)
def test_cities_and_regions_are_approximate(address: str | None) -> None:
    assert is_approximate_address(address)


# --- 2. times -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "time", "corrected"),
    [
        ("19:00", "19:00", False),
        ("19:00:00", "19:00", False),
        ("7:00 PM", "19:00", True),
        ("7 pm", "19:00", True),
        ("7pm", "19:00", True),
        ("7:30 p.m.", "19:30", True),
        ("7:00 am", "07:00", True),
        ("12:00 AM", "00:00", True),
        ("12:15 pm", "12:15", True),
        ("19.00", "19:00", True),
        ("7:30", "07:30", True),
    ],
)
def test_unambiguous_times_are_read(given: str, time: str, corrected: bool) -> None:
    meeting, result = one({"time": given})
    assert meeting.time == time
    assert result.corrected.get("times", 0) == int(corrected)


@pytest.mark.parametrize("given", ["7", "13 pm", "0:30 am", "19:75", "evening"])
def test_ambiguous_or_impossible_times_are_rejected(given: str) -> None:
    result = meeting_guide.parse([{**BASE, "time": given}], fellowship="AA")
    assert result.reasons() == {"impossible time": 1}


def test_a_whole_feed_in_12_hour_times_is_imported() -> None:
    records = [
        {**BASE, "slug": f"m{i}",
         "time": f"{1 + i % 12}:{15 * (i % 4):02d} {'AM' if i % 2 else 'PM'}"}
        for i in range(315)
    ]  # fmt: skip
    result = meeting_guide.parse(records, fellowship="AA")
    assert len(result.meetings) == 315 and result.corrected == {"times": 315}


# --- 3. types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "codes", "corrected", "unmapped"),
    [
        (["O", "D"], ("O", "D"), False, []),
        ("[open]", ("O",), True, []),
        ("O, D, ONL", ("O", "D"), True, []),
        (["open", "closed", "online", "speaker"], ("O", "C", "SP"), True, []),
        (["Open", "Step Meeting", "Women"], ("O", "ST", "W"), True, []),
        (["Öppet möte", "Talarmöte"], ("O", "SP"), True, []),
        (["o", "d"], ("O", "D"), False, []),
        (["O", "Bring a friend", "XYZ"], ("O",), False, ["Bring a friend", "XYZ"]),
        ([11, "12x12"], ("11", "12x12"), False, []),
    ],
)
def test_types_become_codes(
    given: Any, codes: tuple[str, ...], corrected: bool, unmapped: list[str]
) -> None:
    meeting, result = one({"types": given})
    assert meeting.types == codes
    assert result.corrected.get("types", 0) == int(corrected)
    assert result.types_unmapped == int(bool(unmapped))
    assert sorted(result.unmapped_type_values) == sorted(unmapped)


# --- 4. end times ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "kept", "corrected"),
    [
        ("19:30", "20:30", "20:30", False),
        ("23:30", "00:45", "00:45", False),  # past midnight is fine
        ("19:00", "23:00", "23:00", False),  # four hours exactly
        ("19:30", "19:30", "20:30", True),  # equal: not a 24-hour event
        ("19:00", "23:01", "20:00", True),  # longer than four hours
        ("19:30", "19:00", "20:30", True),  # 23.5 hours
        ("19:30", "later", "20:30", True),
        ("19:30", None, "20:30", False),  # the specification's default hour
    ],
)
def test_impossible_end_times_become_an_hour(
    start: str, end: str | None, kept: str, corrected: bool
) -> None:
    meeting, result = one({"time": start, "end_time": end})
    assert meeting.end_time == kept
    assert result.corrected.get("end times", 0) == int(corrected)


# --- 5. links and text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "url", "change"),
    [
        ("https://zoom.us/j/1", "https://zoom.us/j/1", None),
        ("https://zoom.us/j/1, https://zoom.us/j/2", "https://zoom.us/j/1", "chosen"),
        ("https://zoom.us/j/1 https://meet.example.org/b", "https://zoom.us/j/1", "chosen"),
        ("http://old.example/x, https://zoom.us/j/2", "https://zoom.us/j/2", "chosen"),
        ("https://zoom.us/j/1\nhttps://zoom.us/j/2", "https://zoom.us/j/1", "chosen"),
        ("http://old.example/x", None, "refused"),
        ("javascript:alert(1)", None, "refused"),
        ("https://zoom.us/j/1\r\nX-Injected: 1", None, "refused"),
        ("https://zoom.us/j/\t1", None, "refused"),
        ("https://zoom.us/j/1\x00", None, "refused"),
        ("https://user@evil.example/", None, "refused"),
        ("", None, None),
    ],
)
def test_conference_links(given: str, url: str | None, change: str | None) -> None:
    assert (conference_link(given).url, conference_link(given).change) == (url, change)


def test_a_refused_only_link_is_counted_even_when_the_meeting_is_not_listed() -> None:
    _, result = one({"formatted_address": "Chicago, IL, USA", "conference_url": "http://x.e/a"})
    assert result.corrected == {"links refused": 1}
    assert result.not_listed == {"no place or link": 1}


def test_a_refused_or_chosen_link_is_counted() -> None:
    _, result = one({"conference_url": "https://a.example/1, https://b.example/2"})
    assert result.corrected == {"links": 1}
    meeting, result = one({"conference_url": "https://a.example/1\r\nX: y"})
    assert meeting.conference_url is None and result.corrected == {"links refused": 1}
    # Its place is still a place: in person, and the operator sees the refused link counted.
    assert meeting.attendance == "in_person"


def test_a_phone_with_control_characters_is_refused() -> None:
    meeting, _ = one({"conference_phone": "+46 8 000\r\nX", "conference_url": LINK})
    assert meeting.conference_phone is None


@pytest.mark.parametrize("junk", ["TBA", "n/a", "-", "0", "see notes", "Ask at the door"])
def test_a_phone_without_a_number_is_no_way_in(junk: str) -> None:
    # Not a dial-in: the meeting at a street address stays in person (never in the online list).
    meeting, _ = one({"conference_phone": junk})
    assert (meeting.conference_phone, meeting.attendance) == (None, "in_person")
    # With only a city, nothing is left to go to or to call.
    meeting, result = one({"conference_phone": junk, "formatted_address": "Stockholm, Sweden"})
    assert meeting is None and result.not_listed == {"no place or link": 1}


@pytest.mark.parametrize(
    "phone", ["+46 8 5050 0828,,123456789#", "22 00 00 00", "+354 555 1234", "0855512345"]
)
def test_a_dial_in_number_is_kept_as_written(phone: str) -> None:
    meeting, _ = one({"conference_phone": phone})
    assert (meeting.conference_phone, meeting.attendance) == (phone, "hybrid")


def test_html_entities_are_decoded() -> None:
    meeting, _ = one(
        {
            "name": "Serenity &amp; Friends",
            "notes": "Ring &quot;B&quot;<br>Floor 2",
            "location": "St. Mark&#39;s",
        }
    )
    assert meeting.name == "Serenity & Friends"
    assert meeting.notes == 'Ring "B"\nFloor 2'
    assert meeting.location_name == "St. Mark's"


# --- 6. by appointment ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"day": None}, "no day"),
        ({"day": ""}, "no day"),
        ({"day": None, "time": None}, "no day"),
        ({"day": 7}, "impossible day"),
        ({"time": ""}, "no time"),
    ],
)
def test_by_appointment_has_no_day(changes: dict[str, Any], reason: str) -> None:
    record = {key: value for key, value in {**BASE, **changes}.items()}
    assert meeting_guide.parse([record], fellowship="AA").reasons() == {reason: 1}
    without = {k: v for k, v in BASE.items() if k != "day"}
    assert meeting_guide.parse([without], fellowship="AA").reasons() == {"no day": 1}


def test_english_day_names_are_read() -> None:
    meeting, _ = one({"day": "Sunday"})
    assert meeting.day == 0
