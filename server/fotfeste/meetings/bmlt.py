"""BMLT GetSearchResults JSON (NA root servers) into ParsedMeetings and rejections."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fotfeste.meetings.fields import coordinates, integer, join_address, text, web_link
from fotfeste.meetings.logic import (
    ParsedMeeting,
    ParseResult,
    Rejection,
    SourceError,
    add_minutes,
    derive_attendance,
    hhmm,
    is_timezone,
    parse_clock_time,
)

# NAWS world ids (language-independent) to Meeting Guide codes; others have no equivalent.
WORLD_TO_TYPE: dict[str, str] = {
    "OPEN": "O",
    "CLOSED": "C",
    "BEG": "BE",
    "DISC": "D",
    "SPK": "SP",
    "STEP": "ST",
    "TRAD": "TR",
    "LIT": "LIT",
    "BT": "LIT",
    "JFT": "LIT",
    "IW": "LIT",
    "IP": "LIT",
    "MED": "MED",
    "W": "W",
    "M": "M",
    "Y": "Y",
    "GL": "LGBTQ",
    "WCHR": "X",
    "CAN": "CAN",
    "CW": "CF",
    "SMOK": "SM",
    "TC": "TC",
}
VENUE_ATTENDANCE = {1: "in_person", 2: "online", 3: "hybrid"}
PAGE_SIZE = 500


def is_root_server(url: str) -> bool:
    """A root server's base URL (…/main_server) rather than a ready-made client_interface query."""
    return "client_interface" not in urlsplit(url).path


def search_url(root: str, page: int, page_size: int = PAGE_SIZE) -> str:
    """The GetSearchResults query for one page, with the used formats alongside."""
    query = urlencode(
        {
            "switcher": "GetSearchResults",
            "get_used_formats": "1",
            "page_size": str(page_size),
            "page_num": str(page),
        }
    )
    return f"{root.rstrip('/')}/client_interface/json/?{query}"


def split_document(document: Any) -> tuple[list[Any], list[Any]]:
    """(meetings, formats) from {"meetings", "formats"} or a bare list of meetings."""
    if isinstance(document, dict) and isinstance(document.get("meetings"), list):
        formats = document.get("formats")
        return document["meetings"], formats if isinstance(formats, list) else []
    if isinstance(document, list):
        return document, []
    raise SourceError("a BMLT answer is a list of meetings or {meetings, formats}")


def parse(
    document: Any,
    *,
    fellowship: str,
    default_timezone: str | None = None,
    formats: list[Any] | None = None,
) -> ParseResult:
    """Read a decoded GetSearchResults answer (optionally with a separate GetFormats list)."""
    records, used_formats = split_document(document)
    by_id, by_key = _format_tables([*(formats or []), *used_formats])
    result = ParseResult()
    seen: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            result.rejections.append(Rejection(f"#{index}", "not an object"))
            continue
        if text(record.get("published")) == "0":
            continue  # unpublished meetings are hidden by BMLT itself
        _read(record, index, fellowship, default_timezone, by_id, by_key, seen, result)
    return result


def _format_tables(formats: list[Any]) -> tuple[dict[str, str], dict[str, str]]:
    by_id: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for entry in formats:
        if not isinstance(entry, dict):
            continue
        world = text(entry.get("world_id"), 20)
        code = WORLD_TO_TYPE.get(world.upper()) if world else None
        if code is None:
            continue
        if (format_id := text(entry.get("id"), 20)) is not None:
            by_id[format_id] = code
        if (key := text(entry.get("key_string"), 20)) is not None:
            by_key.setdefault(key, code)
    return by_id, by_key


def _types(record: dict[str, Any], by_id: dict[str, str], by_key: dict[str, str]) -> list[str]:
    # Shared ids are language-independent; key strings differ per server language, so they are
    # only the fallback, and always looked up through the server's own format list.
    shared = text(record.get("format_shared_id_list"))
    if shared:
        codes = [by_id.get(part.strip()) for part in shared.split(",")]
    else:
        keys = text(record.get("formats")) or ""
        codes = [by_key.get(part.strip()) for part in keys.split(",")]
    return list(dict.fromkeys(c for c in codes if c))


def _read(
    record: dict[str, Any],
    index: int,
    fellowship: str,
    default_timezone: str | None,
    by_id: dict[str, str],
    by_key: dict[str, str],
    seen: set[str],
    result: ParseResult,
) -> None:
    key = text(record.get("id_bigint"), 40)
    label = key or f"#{index}"
    if key is None:
        result.rejections.append(Rejection(label, "no id_bigint"))
        return
    name = text(record.get("meeting_name"), 200)
    if name is None:
        result.rejections.append(Rejection(label, "no name"))
        return
    weekday = integer(record.get("weekday_tinyint"))
    if weekday is None or not 1 <= weekday <= 7:
        result.rejections.append(Rejection(label, "impossible day"))
        return
    start = parse_clock_time(record.get("start_time"))
    if start is None:
        result.rejections.append(Rejection(label, "impossible time"))
        return
    duration = parse_clock_time(record.get("duration_time"))
    minutes = duration.hour * 60 + duration.minute if duration else 60
    timezone = text(record.get("time_zone"), 64) or default_timezone
    if timezone is None:
        result.rejections.append(Rejection(label, "no time zone"))
        return
    if not is_timezone(timezone):
        result.rejections.append(Rejection(label, "unknown time zone"))
        return
    if key in seen:
        result.rejections.append(Rejection(label, "duplicate id"))
        return
    seen.add(key)

    types = _types(record, by_id, by_key)
    address = join_address(
        record.get("location_street"),
        record.get("location_municipality"),
        record.get("location_province"),
        record.get("location_postal_code_1"),
        record.get("location_nation"),
    )
    url = web_link(record.get("virtual_meeting_link"))
    phone = text(record.get("phone_meeting_number"), 100)
    venue = integer(record.get("venue_type"))
    attendance = VENUE_ATTENDANCE.get(venue) if venue is not None else None
    if attendance is None:
        attendance = derive_attendance(
            online_link=bool(url or phone), specific_address=bool(address)
        )
    point = coordinates(record.get("latitude"), record.get("longitude"))
    notes = "\n\n".join(
        n
        for n in (
            text(record.get("location_info")),
            text(record.get("comments")),
            text(record.get("virtual_meeting_additional_info")),
        )
        if n
    )
    result.meetings.append(
        ParsedMeeting(
            source_key=key,
            name=name,
            day=weekday - 1,  # BMLT 1 = Sunday; Meeting Guide 0 = Sunday
            time=hhmm(start),
            end_time=hhmm(add_minutes(start, minutes)),
            timezone=timezone,
            fellowship=fellowship,
            types=tuple(types),
            attendance=attendance,
            temporarily_closed="TC" in types,
            location_name=text(record.get("location_text"), 200),
            address=None if attendance == "online" else address,
            lat=None if point is None or attendance == "online" else point[0],
            lon=None if point is None or attendance == "online" else point[1],
            conference_url=url,
            conference_phone=phone,
            notes=notes or None,
        )
    )
