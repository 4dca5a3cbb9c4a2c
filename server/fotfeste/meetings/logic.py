"""Pure rules for meetings: times, next start in the meeting's zone, distances, ids, attendance."""

from __future__ import annotations

import base64
import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Any, Protocol
from zoneinfo import available_timezones

from fotfeste.wallclock import today_in, wall_instant, weekday, zone

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180

Attendance = str  # "in_person" | "online" | "hybrid"

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*$")
_COMPACT_TIME = re.compile(r"^\s*(\d{2})(\d{2})\s*$")
# "7 pm", "7:00 PM", "7.30pm", "7:00 a.m.": a 12-hour clock with its am/pm is unambiguous.
_TWELVE_HOUR = re.compile(
    r"^\s*(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*([ap])\.?\s*m\.?\s*$", re.IGNORECASE
)
_STANDARD_TIME = re.compile(r"^\d{2}:\d{2}(?::\d{2})?$")
LONGEST_MEETING_MINUTES = 4 * 60


@dataclass(slots=True)
class ParsedMeeting:
    """One weekly meeting as read from a feed, before it gets its id and row."""

    source_key: str
    name: str
    day: int  # 0 = Sunday … 6 = Saturday
    time: str  # "HH:MM"
    end_time: str
    timezone: str
    fellowship: str
    types: tuple[str, ...] = ()
    attendance: Attendance = "in_person"
    temporarily_closed: bool = False
    location_name: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    conference_url: str | None = None
    conference_phone: str | None = None
    notes: str | None = None
    updated: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that could not be imported, and why (shown to the operator)."""

    record: str
    reason: str


@dataclass(slots=True)
class ParseResult:
    meetings: list[ParsedMeeting] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    # Records read after a correction, by kind: "times", "types", "end times", "links".
    corrected: dict[str, int] = field(default_factory=dict)
    # Listed meetings whose place is only approximate (a city): never a point in nearby search.
    approximate: int = 0
    # Readable records deliberately not listed, by reason ("inactive", "no place or link", …).
    not_listed: dict[str, int] = field(default_factory=dict)
    # Records with type values that map to no code, and those values (left out of `types`).
    types_unmapped: int = 0
    unmapped_type_values: dict[str, int] = field(default_factory=dict)
    # BMLT meetings with a format that no formats list explains.
    formats_unmapped: int = 0

    def reasons(self) -> dict[str, int]:
        """How many records were rejected for each reason, most common first."""
        counts: dict[str, int] = {}
        for rejection in self.rejections:
            counts[rejection.reason] = counts.get(rejection.reason, 0) + 1
        return _most_first(counts)

    def correct(self, kind: str) -> None:
        self.corrected[kind] = self.corrected.get(kind, 0) + 1

    def skip(self, reason: str) -> None:
        self.not_listed[reason] = self.not_listed.get(reason, 0) + 1


def _most_first(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class SourceError(ValueError):
    """A whole source cannot be read or parsed; nothing of it is imported."""


def parse_clock_time(value: object) -> time | None:
    """A wall-clock time from a feed: "19:00", "7:30", "19:00:00", "1900", "19.00", "7:00 PM",
    "7 pm", else None (a bare "7" could be morning or evening)."""
    if not isinstance(value, str):
        return None
    return _clock_text(value)


@lru_cache(maxsize=4096)
def _clock_text(value: str) -> time | None:
    # Cached: a feed of 100,000 meetings holds a few hundred distinct times.
    twelve = _TWELVE_HOUR.match(value)
    if twelve is not None:
        hour, minute = int(twelve.group(1)), int(twelve.group(2) or 0)
        if not (1 <= hour <= 12 and 0 <= minute <= 59 and int(twelve.group(3) or 0) <= 59):
            return None
        hour = hour % 12 + (12 if twelve.group(4).lower() == "p" else 0)
        return time(hour, minute)
    match = _TIME.match(value) or _COMPACT_TIME.match(value)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    seconds = match.group(3) if match.re is _TIME else None
    second = int(seconds) if seconds else 0
    if hour == 24 and minute == 0 and second == 0:
        return time(0, 0)  # some feeds write midnight as 24:00
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return None
    return time(hour, minute)


def is_standard_time(value: object) -> bool:
    """The specifications' form, "HH:MM" or "HH:MM:SS"; any other form read is a correction."""
    return isinstance(value, str) and _standard_text(value)


@lru_cache(maxsize=4096)
def _standard_text(value: str) -> bool:
    return _STANDARD_TIME.match(value.strip()) is not None


def plausible_end(start: time, end: time | None) -> bool:
    """An end after the start (past midnight counts) and at most four hours later."""
    if end is None:
        return False
    minutes = (end.hour * 60 + end.minute - start.hour * 60 - start.minute) % (24 * 60)
    return 0 < minutes <= LONGEST_MEETING_MINUTES


def hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def add_minutes(value: time, minutes: int) -> time:
    total = (value.hour * 60 + value.minute + minutes) % (24 * 60)
    return time(total // 60, total % 60)


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_timezone(name: object) -> bool:
    return isinstance(name, str) and name in known_timezones()


def occurrence(on: date, start: time, timezone: str) -> datetime:
    """The meeting's start on a local date, as an aware datetime in its zone (the DST rule is
    wallclock's: 02:30 in a spring-forward gap is 03:30; in an autumn overlap the first one)."""
    # Through UTC, so a non-existent wall time comes back normalised; an existing one unchanged.
    return wall_instant(on, start, timezone).astimezone(zone(timezone))


def next_start(day: int, start: str | time, timezone: str, now: datetime) -> datetime:
    """The next start at or after `now` of a meeting held weekly on `day` at `start` local time.

    `day` is 0 = Sunday … 6 = Saturday; the answer is aware, in the meeting's zone.
    """
    if not 0 <= day <= 6:
        raise ValueError(f"day must be 0–6, not {day}")
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    wall = start if isinstance(start, time) else parse_clock_time(start)
    if wall is None:
        raise ValueError(f"not a time: {start!r}")
    local_today = today_in(now, timezone)
    ahead = (day - weekday(local_today)) % 7
    # Compared in UTC: Python compares two datetimes of one ZoneInfo by wall clock, ignoring
    # fold, which would be wrong in the autumn overlap if `now` came in the meeting's zone.
    instant = now.astimezone(UTC)
    for weeks in (0, 1):
        candidate = occurrence(local_today + timedelta(days=ahead + 7 * weeks), wall, timezone)
        if candidate.astimezone(UTC) >= instant:
            return candidate
    raise AssertionError("unreachable: a week ahead is always in the future")


class Maths(Protocol):
    """The functions the distance formula is written with: Python's math below, SQL's in
    meetings.store, so the one formula measures in both (and a dialect can bring its own)."""

    def radians(self, x: Any) -> Any: ...
    def sin(self, x: Any) -> Any: ...
    def cos(self, x: Any) -> Any: ...
    def asin(self, x: Any) -> Any: ...
    def sqrt(self, x: Any) -> Any: ...
    def square(self, x: Any) -> Any: ...
    def least(self, x: Any, y: Any) -> Any: ...


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any, maths: Maths) -> Any:
    """Distance on the mean-radius sphere (haversine), in km: within 0.5 % of the ellipsoid.

    The one definition of distance: numbers with PYTHON_MATHS give a float, SQL expressions
    with meetings.store's SQL maths give the SQL that nearby search sorts and filters by.
    """
    a = maths.square(maths.sin(maths.radians(lat2 - lat1) / 2)) + maths.cos(
        maths.radians(lat1)
    ) * maths.cos(maths.radians(lat2)) * maths.square(maths.sin(maths.radians(lon2 - lon1) / 2))
    return 2 * EARTH_RADIUS_KM * maths.asin(maths.least(1, maths.sqrt(a)))


class _PythonMaths:
    radians = staticmethod(math.radians)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    asin = staticmethod(math.asin)
    sqrt = staticmethod(math.sqrt)
    least = staticmethod(min)

    @staticmethod
    def square(x: float) -> float:
        return x * x


PYTHON_MATHS: Maths = _PythonMaths()


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance in km between two points (haversine_km with Python's math)."""
    return float(haversine_km(lat1, lon1, lat2, lon2, PYTHON_MATHS))


Box = tuple[float, float, float, float]  # min_lat, max_lat, min_lon, max_lon


def bounding_boxes(lat: float, lon: float, radius_km: float) -> list[Box]:
    """Boxes in degrees that hold every point within `radius_km` (split at the antimeridian).

    The boxes may hold a few points farther away; the caller measures each candidate.
    """
    dlat = radius_km / KM_PER_DEGREE_LAT
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90:
        # The circle covers a pole: every longitude is within reach.
        return [(max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0)]
    # The widest longitude span of the circle (at the latitude where it touches its tangent).
    sin_ratio = math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(lat))
    if sin_ratio >= 1:
        return [(min_lat, max_lat, -180.0, 180.0)]
    dlon = math.degrees(math.asin(sin_ratio))
    west, east = lon - dlon, lon + dlon
    if west < -180:
        return [(min_lat, max_lat, west + 360, 180.0), (min_lat, max_lat, -180.0, east)]
    if east > 180:
        return [(min_lat, max_lat, west, 180.0), (min_lat, max_lat, -180.0, east - 360)]
    return [(min_lat, max_lat, west, east)]


def meeting_id(source: str, source_key: str) -> str:
    """A stable public id: 128 bits of a hash of (source, key), so re-imports keep ids.

    It looks random and reveals neither the feed nor an order, like every id a client sees.
    """
    digest = hashlib.blake2b(f"{source}\x00{source_key}".encode(), digest_size=16).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def derive_attendance(*, online_link: bool, specific_address: bool) -> Attendance:
    """Meeting Guide's rule: a conference link or phone with a real address is hybrid, without
    one (only an approximate address) online, and no link at all means in person."""
    if online_link:
        return "hybrid" if specific_address else "online"
    return "in_person"


ATTENDANCE_OPTIONS = frozenset({"in_person", "hybrid", "online", "inactive"})


def decide_attendance(
    *, given: str | None, online_link: bool, specific_place: bool, temporarily_closed: bool
) -> tuple[Attendance | None, str | None]:
    """(attendance, None) for a meeting to list; (None, reason) for one that is not listed.

    A feed's own `attendance_option` decides (the 12 Step Meeting List plugin writes it), as
    far as the record has what it names: hybrid without a link is in person, without a place
    online. Otherwise a temporarily closed place (TC) with a link or phone is online, as the
    plugin and TSML UI read it, and the Meeting Guide rule derives the rest.
    """
    if given == "inactive":
        return None, "inactive"
    if given in ATTENDANCE_OPTIONS:
        attendance: Attendance = given
    elif not online_link and not specific_place:
        return None, "no place or link"
    elif temporarily_closed:
        # Without a link it stays a closed place: listed, but never a place to go (nearby).
        attendance = "online" if online_link else "in_person"
    else:
        attendance = derive_attendance(online_link=online_link, specific_address=specific_place)
    if attendance == "hybrid":
        # A place and a way in online: with only one of them it is that one (listed as hybrid
        # it would be in the online list with no link, or say "in person" with no place).
        if not (online_link or specific_place):
            return None, "no place or link"
        if not online_link:
            attendance = "in_person"
        elif not specific_place:
            attendance = "online"
    if attendance == "online" and not online_link:
        return None, "online without a link"
    if attendance == "in_person" and not specific_place:
        return None, "in person without a place"
    return attendance, None
