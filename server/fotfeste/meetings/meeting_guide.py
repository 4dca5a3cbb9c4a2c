"""Meeting Guide JSON (the Code for Recovery specification) into ParsedMeetings and rejections."""

from __future__ import annotations

from typing import Any

from fotfeste.meetings.fields import (
    coordinates,
    integer,
    join_address,
    text,
    truthy,
    web_link,
)
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

_MAX_TYPES = 30


def parse(document: Any, *, fellowship: str, default_timezone: str | None = None) -> ParseResult:
    """Read a decoded Meeting Guide feed: a list of meetings (or {"meetings": [...]})."""
    records = document.get("meetings") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise SourceError("a Meeting Guide feed is a JSON array of meetings")
    result = ParseResult()
    seen: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            result.rejections.append(Rejection(f"#{index}", "not an object"))
            continue
        _read(record, index, fellowship, default_timezone, seen, result)
    return result


def _days(value: Any) -> list[int] | None:
    """`day` is 0–6 or a list of them; an empty or impossible day makes the record unusable."""
    raw = value if isinstance(value, list) else [value]
    days = [integer(v) for v in raw]
    if not days or any(d is None or not 0 <= d <= 6 for d in days):
        return None
    return sorted({d for d in days if d is not None})


def _types(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return ()
    codes = [t.strip() for t in value if isinstance(t, str) and 0 < len(t.strip()) <= 10]
    return tuple(dict.fromkeys(codes))[:_MAX_TYPES]


def _read(
    record: dict[str, Any],
    index: int,
    fellowship: str,
    default_timezone: str | None,
    seen: set[str],
    result: ParseResult,
) -> None:
    slug = text(record.get("slug"), 200) or text(record.get("id"), 200)
    label = slug or f"#{index}"
    name = text(record.get("name"), 200)
    if name is None:
        result.rejections.append(Rejection(label, "no name"))
        return
    days = _days(record.get("day"))
    if days is None:
        result.rejections.append(Rejection(label, "impossible day"))
        return
    start = parse_clock_time(record.get("time"))
    if start is None:
        result.rejections.append(Rejection(label, "impossible time"))
        return
    end_raw = record.get("end_time")
    end = parse_clock_time(end_raw) if text(end_raw) else add_minutes(start, 60)
    if end is None:
        result.rejections.append(Rejection(label, "impossible end time"))
        return
    timezone = text(record.get("timezone"), 64) or default_timezone
    if timezone is None:
        result.rejections.append(Rejection(label, "no time zone"))
        return
    if not is_timezone(timezone):
        result.rejections.append(Rejection(label, "unknown time zone"))
        return

    types = _types(record.get("types"))
    address = text(record.get("formatted_address"), 300) or join_address(
        record.get("address"),
        record.get("city"),
        record.get("state"),
        record.get("postal_code"),
        record.get("country"),
    )
    point = coordinates(record.get("latitude"), record.get("longitude"))
    approximate = truthy(record.get("approximate"))
    url = web_link(record.get("conference_url"))
    phone = text(record.get("conference_phone"), 100)
    attendance = derive_attendance(
        online_link=bool(url or phone), specific_address=bool(address) and not approximate
    )
    notes = "\n\n".join(
        n
        for n in (
            text(record.get("notes")),
            text(record.get("location_notes")),
            text(record.get("conference_url_notes")),
            text(record.get("conference_phone_notes")),
        )
        if n
    )
    base_key = slug or f"{name}|{record.get('time')}|{address or ''}"
    for day in days:
        key = base_key if len(days) == 1 else f"{base_key}#{day}"
        if key in seen:
            result.rejections.append(Rejection(label, "duplicate slug"))
            continue
        seen.add(key)
        result.meetings.append(
            ParsedMeeting(
                source_key=key,
                name=name,
                day=day,
                time=hhmm(start),
                end_time=hhmm(end),
                timezone=timezone,
                fellowship=fellowship,
                types=types,
                attendance=attendance,
                temporarily_closed="TC" in types,
                location_name=text(record.get("location"), 200),
                # An approximate address (a city) is not shown as if it were a place to go.
                address=None if approximate else address,
                lat=None if point is None or attendance == "online" else point[0],
                lon=None if point is None or attendance == "online" else point[1],
                conference_url=url,
                conference_phone=phone,
                notes=notes or None,
                updated=text(record.get("updated"), 40),
            )
        )
