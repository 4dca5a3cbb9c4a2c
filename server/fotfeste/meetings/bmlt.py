"""BMLT GetSearchResults JSON (NA root servers) into ParsedMeetings and rejections."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fotfeste.meetings.bmlt_formats import format_tables, meeting_formats
from fotfeste.meetings.fields import (
    conference_link,
    coordinates,
    integer,
    is_approximate_address,
    join_address,
    phone_number,
    plain_text,
    text,
)
from fotfeste.meetings.logic import (
    ParsedMeeting,
    ParseResult,
    Rejection,
    SourceError,
    add_minutes,
    decide_attendance,
    hhmm,
    is_standard_time,
    is_timezone,
    parse_clock_time,
)

VENUE_ATTENDANCE = {1: "in_person", 2: "online", 3: "hybrid"}
PAGE_SIZE = 500


def is_root_server(url: str) -> bool:
    """A root server's base URL (…/main_server) rather than a ready-made client_interface query."""
    return "client_interface" not in urlsplit(url).path


def search_url(root: str, page: int, page_size: int = PAGE_SIZE) -> str:
    """The GetSearchResults query for one page, with the used formats in English alongside.

    English names let language formats be read by name whatever the server's own language.
    Sorted by id: BMLT's default order (weekday, start, duration) ties many meetings, and SQL
    may order ties differently in each page's query, so a meeting could come twice or never.
    """
    query = urlencode(
        {
            "switcher": "GetSearchResults",
            "get_used_formats": "1",
            "lang_enum": "en",
            "sort_keys": "id_bigint",
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


def read_formats(document: Any) -> list[Any]:
    """A GetFormats answer (a list, or {"formats": [...]}) for `--formats FILE`."""
    formats = document.get("formats") if isinstance(document, dict) else document
    if not isinstance(formats, list):
        raise SourceError("a BMLT GetFormats answer is a JSON list of formats")
    return formats


def parse(
    document: Any,
    *,
    fellowship: str,
    default_timezone: str | None = None,
    formats: list[Any] | None = None,
) -> ParseResult:
    """Read a decoded GetSearchResults answer (optionally with a separate GetFormats list)."""
    records, used_formats = split_document(document)
    by_id, by_key = format_tables([*(formats or []), *used_formats])
    result = ParseResult()
    seen: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            result.rejections.append(Rejection(f"#{index}", "not an object"))
            continue
        if text(record.get("published")) == "0":
            result.skip("unpublished")  # hidden by BMLT itself
            continue
        _read(record, index, fellowship, default_timezone, (by_id, by_key), seen, result)
    return result


def _duration(record: dict[str, Any], result: ParseResult) -> int:
    """Minutes; none given is an hour, and 0 or more than four hours is corrected to one."""
    raw = record.get("duration_time")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 60
    duration = parse_clock_time(raw)
    minutes = duration.hour * 60 + duration.minute if duration else 0
    if not 0 < minutes <= 240:
        result.correct("end times")
        return 60
    return minutes


def _read(
    record: dict[str, Any],
    index: int,
    fellowship: str,
    default_timezone: str | None,
    tables: tuple[dict[str, Any], dict[str, Any]],
    seen: set[str],
    result: ParseResult,
) -> None:
    key = text(record.get("id_bigint"), 40)
    label = key or f"#{index}"
    if key is None:
        result.rejections.append(Rejection(label, "no id_bigint"))
        return
    name = plain_text(record.get("meeting_name"), 200)
    if name is None:
        result.rejections.append(Rejection(label, "no name"))
        return
    if record.get("weekday_tinyint") in (None, ""):
        result.rejections.append(Rejection(label, "no day"))
        return
    weekday = integer(record.get("weekday_tinyint"))
    if weekday is None or not 1 <= weekday <= 7:
        result.rejections.append(Rejection(label, "impossible day"))
        return
    start = parse_clock_time(record.get("start_time"))
    if start is None:
        result.rejections.append(Rejection(label, "impossible time"))
        return
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

    formats = meeting_formats(record, *tables)
    address = join_address(
        record.get("location_street"),
        record.get("location_municipality"),
        record.get("location_province"),
        record.get("location_postal_code_1"),
        record.get("location_nation"),
    )
    approximate = is_approximate_address(address)
    link = conference_link(record.get("virtual_meeting_link"))
    phone = phone_number(record.get("phone_meeting_number"))
    if link.change is not None:
        result.correct("links" if link.change == "chosen" else "links refused")
    venue = integer(record.get("venue_type"))
    # venue_type decides where a server has it; otherwise its VM/HYBR formats, as BMLT's own
    # TSML export reads them.
    given = VENUE_ATTENDANCE.get(venue) if venue is not None else None
    if given is None and formats.online:
        given = "hybrid" if formats.hybrid else "online"
    temporarily_closed = "TC" in formats.codes
    attendance, not_listed = decide_attendance(
        given=given,
        online_link=bool(link.url or phone),
        specific_place=address is not None and not approximate,
        temporarily_closed=temporarily_closed,
    )
    if attendance is None:
        result.skip(not_listed or "not listed")
        return
    if not is_standard_time(record.get("start_time")):
        result.correct("times")
    minutes = _duration(record, result)
    if formats.unmapped:
        result.formats_unmapped += 1
    if address is not None and approximate:
        result.approximate += 1
    place = not approximate and attendance != "online"
    point = coordinates(record.get("latitude"), record.get("longitude")) if place else None
    notes = "\n\n".join(
        n
        for n in (
            plain_text(record.get("location_info")),
            plain_text(record.get("comments")),
            plain_text(record.get("virtual_meeting_additional_info")),
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
            types=formats.codes,
            attendance=attendance,
            temporarily_closed=temporarily_closed,
            location_name=plain_text(record.get("location_text"), 200),
            address=address if place else None,
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            conference_url=link.url,
            conference_phone=phone,
            notes=notes or None,
        )
    )
