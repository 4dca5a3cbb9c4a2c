"""Nearby meetings in the order "next": the soonest start within the distance, a week ahead."""

from __future__ import annotations

import math
import sqlite3
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fotfeste.db import Database
from fotfeste.meetings.logic import bounding_boxes, great_circle_km, weekday_of
from fotfeste.meetings.models import Meeting
from fotfeste.meetings.store import COLUMNS, _distance_sql, _filters, to_meeting

_WEEK = 7 * 24 * 60
# The sort key uses each zone's offset of this moment; a DST change later in the week moves a
# start by up to an hour either way, so everything within two hours of the limit-th key is
# measured exactly (zoneinfo) before the order is decided.
_DST_SLACK_MINUTES = 120

_sql_math: bool | None = None


async def nearby_soonest(
    db: Database,
    now: datetime,
    *,
    lat: float,
    lon: float,
    radius_km: float,
    day: int | None = None,
    fellowship: str | None = None,
    type_code: str | None = None,
    limit: int = 50,
) -> list[Meeting]:
    """Meetings with a place within the radius, the one that starts soonest first.

    As TSML UI lists meetings: minutes until the next start, counted a week ahead from now, so
    Saturday night comes before Sunday morning and tonight before tomorrow; equal starts nearest
    first, then by id. The limit applies after this order.
    """
    candidates = await _candidates(db, lat, lon, radius_km, day, fellowship, type_code)
    if not candidates:
        return []
    frame = _minutes_into_week(now)
    offsets: dict[str, int] = {}
    keyed = []
    for pk, distance, meeting_day, start_minute, zone in candidates:
        if zone not in offsets:
            offset = now.astimezone(ZoneInfo(zone)).utcoffset()
            offsets[zone] = int(offset.total_seconds() // 60) if offset else 0
        key = (meeting_day * 1440 + start_minute - offsets[zone] - frame) % _WEEK
        keyed.append((key, pk, distance))
    keyed.sort()
    cutoff = keyed[limit - 1][0] + _DST_SLACK_MINUTES if len(keyed) >= limit else _WEEK
    distances = {pk: distance for key, pk, distance in keyed if key <= cutoff}
    marks = ", ".join("?" for _ in distances)
    rows = await db.fetchall(
        f"SELECT pk, {COLUMNS} FROM meetings WHERE pk IN ({marks})",  # noqa: S608 - marks only
        list(distances),
    )
    measured = [(to_meeting(row, now, distances[row["pk"]]), distances[row["pk"]]) for row in rows]
    # Compared as instants: the strings carry each meeting's own UTC offset.
    measured.sort(key=lambda m: (datetime.fromisoformat(m[0].next_start), m[1], m[0].id))
    return [meeting for meeting, _ in measured[:limit]]


def _minutes_into_week(now: datetime) -> int:
    """Minutes from Sunday 00:00 UTC of this week to now, rounded up.

    Rounded up because a start counts only at or after now: a meeting that began at 19:00 is
    next week's when it is 19:00:30.
    """
    utc = now.astimezone(UTC)
    seconds = utc.hour * 3600 + utc.minute * 60 + utc.second + utc.microsecond / 1e6
    return weekday_of(utc.date()) * 1440 + math.ceil(seconds / 60)


Candidate = tuple[int, float, int, int, str]  # pk, distance km, day, start minute, zone


async def _candidates(
    db: Database,
    lat: float,
    lon: float,
    radius_km: float,
    day: int | None,
    fellowship: str | None,
    type_code: str | None,
) -> list[Candidate]:
    """Every listed place to go within the radius (not online, not temporarily closed)."""
    global _sql_math
    params: dict[str, Any] = {"lat": lat, "lon": lon, "radius": radius_km}
    where = _filters(day, fellowship, type_code, params)
    boxes = []
    for i, (min_lat, max_lat, min_lon, max_lon) in enumerate(bounding_boxes(lat, lon, radius_km)):
        params.update({f"a{i}": min_lat, f"b{i}": max_lat, f"c{i}": min_lon, f"d{i}": max_lon})
        boxes.append(
            f"(g.max_lat >= :a{i} AND g.min_lat <= :b{i}"
            f" AND g.max_lon >= :c{i} AND g.min_lon <= :d{i})"
        )
    inside = (
        f"FROM meetings_geo g JOIN meetings m ON m.pk = g.pk WHERE ({' OR '.join(boxes)})"
        f" AND m.temporarily_closed = 0 AND m.attendance != 'online'{where}"
    )
    if _sql_math is not False:
        try:
            rows = await db.fetchall(
                "SELECT * FROM (SELECT m.pk, m.day, m.start_minute, m.timezone,"  # noqa: S608
                f" {_distance_sql('m.lat', 'm.lon')} AS distance {inside})"
                " WHERE distance <= :radius",
                params,
            )
            _sql_math = True
            return [(r[0], r[4], r[1], r[2], r[3]) for r in rows]
        except sqlite3.OperationalError as exc:
            if "no such function" not in str(exc):
                raise
            _sql_math = False  # an SQLite built without math functions: measure in Python
    rows = await db.fetchall(
        f"SELECT m.pk, m.day, m.start_minute, m.timezone, m.lat, m.lon {inside}",
        params,
    )
    measured = ((r, great_circle_km(lat, lon, r[4], r[5])) for r in rows)
    return [(r[0], d, r[1], r[2], r[3]) for r, d in measured if d <= radius_km]
