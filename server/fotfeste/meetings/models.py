"""The API's shapes for meetings, favourites and the attendance log."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

AttendanceMode = Literal["in_person", "online", "hybrid"]
MeetingId = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
TypeCode = Annotated[str, Meta(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9-]+$")]
IsoDate = Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-03-16"])]


_NO_POINT = "null for online meetings, which are never a point on a map"


class Location(msgspec.Struct):
    name: str | None
    address: str | None
    lat: Annotated[float | None, Meta(description=_NO_POINT)]
    lon: Annotated[float | None, Meta(description=_NO_POINT)]


class Meeting(msgspec.Struct):
    id: str
    name: str
    fellowship: str
    day: Annotated[int, Meta(ge=0, le=6, description="0 = Sunday … 6 = Saturday")]
    time: Annotated[str, Meta(description="Local start, HH:MM")]
    end_time: str
    timezone: str
    types: list[str]
    attendance: AttendanceMode
    location: Location
    distance_km: Annotated[
        float | None,
        Meta(
            description="Great-circle distance from the searched point; null outside nearby"
            " search and always null for online meetings"
        ),
    ]
    next_start: Annotated[str, Meta(description="The next start, ISO-8601 in the meeting's zone")]
    conference_url: str | None = None
    conference_phone: str | None = None
    notes: str | None = None
    temporarily_closed: Annotated[
        bool,
        Meta(description="The usual place is closed for now (type TC); online ones meet online"),
    ] = False


class Meetings(msgspec.Struct):
    meetings: list[Meeting]


class TypeNames(msgspec.Struct):
    locale: str
    types: dict[str, str]


class AttendanceCreate(msgspec.Struct, forbid_unknown_fields=True):
    date: IsoDate
    meeting_id: MeetingId | None = None


class AttendanceEntry(msgspec.Struct):
    date: str
    meeting_id: str | None
    meeting_name: str | None
    created_at: str


class AttendanceLog(msgspec.Struct):
    attendance: list[AttendanceEntry]


class AttendanceSummary(msgspec.Struct):
    today: str
    last_30_days: Annotated[int, Meta(description="Meetings attended in the 30 days ending today")]
    days_last_30: Annotated[int, Meta(description="Days with at least one meeting among them")]
    total: int
    last_date: str | None
    favourites: int
