"""Meeting Guide JSON (the Code for Recovery specification) into ParsedMeetings and rejections."""

from __future__ import annotations

from typing import Any

from fotfeste.meetings.fields import (
    conference_link,
    coordinates,
    integer,
    is_approximate_address,
    join_address,
    phone_number,
    plain_text,
    text,
    truthy,
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
    plausible_end,
)
from fotfeste.meetings.types import read_types

_DAY_NAMES = {
    name: number
    for number, names in enumerate(
        (("sunday", "sun"), ("monday", "mon"), ("tuesday", "tue"), ("wednesday", "wed"),
         ("thursday", "thu"), ("friday", "fri"), ("saturday", "sat"))
    )
    for name in names
}  # fmt: skip


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


def _absent(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _days(value: Any) -> list[int] | None:
    """`day` is 0–6 (or an English day name) or a list of them; anything else is impossible."""
    if type(value) is int and 0 <= value <= 6:
        return [value]
    raw = value if isinstance(value, list) else [value]
    days = [
        _DAY_NAMES.get(v.strip().lower()) if isinstance(v, str) and not v.strip().isdigit()
        else integer(v)
        for v in raw
    ]  # fmt: skip
    if not days or any(d is None or not 0 <= d <= 6 for d in days):
        return None
    return sorted({d for d in days if d is not None})


def _attendance_option(value: Any) -> str | None:
    option = text(value, 20)
    return option.strip().lower().replace("-", "_").replace(" ", "_") if option else None


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
    name = plain_text(record.get("name"), 200)
    if name is None:
        result.rejections.append(Rejection(label, "no name"))
        return
    # "By appointment" records have no day (and often no time): not a weekly meeting.
    if _absent(record.get("day")):
        result.rejections.append(Rejection(label, "no day"))
        return
    days = _days(record.get("day"))
    if days is None:
        result.rejections.append(Rejection(label, "impossible day"))
        return
    time_raw = record.get("time")
    if _absent(time_raw):
        result.rejections.append(Rejection(label, "no time"))
        return
    start = parse_clock_time(time_raw)
    if start is None:
        result.rejections.append(Rejection(label, "impossible time"))
        return
    timezone = text(record.get("timezone"), 64) or default_timezone
    if timezone is None:
        result.rejections.append(Rejection(label, "no time zone"))
        return
    if not is_timezone(timezone):
        result.rejections.append(Rejection(label, "unknown time zone"))
        return

    types, types_corrected, unmapped = read_types(record.get("types"))
    address = plain_text(record.get("formatted_address"), 300) or join_address(
        record.get("address"),
        record.get("city"),
        record.get("state"),
        record.get("postal_code"),
        record.get("country"),
    )
    flag = record.get("approximate")
    # An explicit flag decides (as in TSML UI); otherwise an address without a house number,
    # postal code or street names a city or region, not a place.
    explicit = isinstance(flag, bool) or text(flag, 10) is not None
    approximate = truthy(flag) if explicit else is_approximate_address(address)
    specific = address is not None and not approximate
    link = conference_link(record.get("conference_url"))
    phone = phone_number(record.get("conference_phone"))
    if link.change is not None:
        # Counted even when the meeting is then not listed: a link is never dropped silently.
        result.correct("links" if link.change == "chosen" else "links refused")
    temporarily_closed = "TC" in types
    attendance, not_listed = decide_attendance(
        given=_attendance_option(record.get("attendance_option")),
        online_link=bool(link.url or phone),
        specific_place=specific,
        temporarily_closed=temporarily_closed,
    )
    if attendance is None:
        result.skip(not_listed or "not listed")
        return

    # Corrections are counted once per record, for the records that are listed.
    if not is_standard_time(time_raw):
        result.correct("times")
    end_raw = record.get("end_time")
    if _absent(end_raw):
        end = add_minutes(start, 60)  # the specification's default
    else:
        read_end = parse_clock_time(end_raw)
        if plausible_end(start, read_end) and read_end is not None:
            end = read_end
            if not is_standard_time(end_raw):
                result.correct("times")
        else:
            # 19:30–19:30 or 19:30–03:00 cannot be right: an hour, as the spec's default.
            end = add_minutes(start, 60)
            result.correct("end times")
    if types_corrected:
        result.correct("types")
    if unmapped:
        result.types_unmapped += 1
        for value in unmapped:
            result.unmapped_type_values[value] = result.unmapped_type_values.get(value, 0) + 1
    if address is not None and approximate:
        result.approximate += 1

    notes = "\n\n".join(
        n
        for n in (
            plain_text(record.get("notes")),
            plain_text(record.get("location_notes")),
            plain_text(record.get("conference_url_notes")),
            plain_text(record.get("conference_phone_notes")),
        )
        if n
    )
    # Only a specific place that is open is a point to go to; an online meeting has none.
    place = specific and attendance != "online"
    point = coordinates(record.get("latitude"), record.get("longitude")) if place else None
    # Without a slug the record is known by what it says, its day included: feeds without
    # slugs write one record per day for a group that meets at one time and place all week.
    base_key = slug or f"{name}|{record.get('time')}|{address or ''}"
    for day in days:
        key = base_key if len(days) == 1 and slug else f"{base_key}#{day}"
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
                temporarily_closed=temporarily_closed,
                location_name=plain_text(record.get("location"), 200),
                address=address if place else None,
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                conference_url=link.url,
                conference_phone=phone,
                notes=notes or None,
                updated=text(record.get("updated"), 40),
            )
        )
