"""Nearby meetings in the order "next": the soonest start within the distance, a week ahead."""

from __future__ import annotations

import sqlite3
import weakref
from datetime import datetime, timedelta
from typing import Any

from fotfeste.db import Database, Row
from fotfeste.meetings.logic import great_circle_km
from fotfeste.meetings.models import Meeting
from fotfeste.meetings.store import (
    _columns,
    _filters,
    box_sql,
    distance_sql,
    minutes_into_week,
    offset_minutes,
    to_meeting,
    week_slack,
)

_WEEK = 7 * 24 * 60
# The zones meetings are held in, read again at most this often (a full scan of the table). A
# zone that a new import brought in meanwhile is not lost: its meetings are always measured.
_ZONES_FOR = timedelta(minutes=1)

_sql_math: bool | None = None
# Per database: when the zone list was read, and the list.
_zones: weakref.WeakKeyDictionary[Database, tuple[datetime, list[str]]] = (
    weakref.WeakKeyDictionary()
)


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
    global _sql_math
    params: dict[str, Any] = {
        "lat": lat,
        "lon": lon,
        "radius": radius_km,
        "limit": limit,
        "now": minutes_into_week(now),
    }
    where = _filters(day, fellowship, type_code, params)
    in_box = box_sql(lat, lon, radius_km, params)
    inside = (
        f"FROM meetings_geo g JOIN meetings m ON m.pk = g.pk WHERE {in_box}"
        f" AND m.temporarily_closed = 0 AND m.attendance != 'online'{where}"
    )
    rows: list[tuple[Row, float]] | None = None
    if _sql_math is not False:
        try:
            rows = [(r, r["distance"]) for r in await _soonest_in_sql(db, now, inside, params)]
            _sql_math = True
        except sqlite3.OperationalError as exc:
            if "no such function" not in str(exc):
                raise
            _sql_math = False  # an SQLite built without math functions: measure in Python
    if rows is None:
        rows = await _soonest_in_python(db, now, inside, params)
    measured = [(to_meeting(row, now, distance), distance) for row, distance in rows]
    # Compared as instants: the strings carry each meeting's own UTC offset.
    measured.sort(key=lambda m: (datetime.fromisoformat(m[0].next_start), m[1], m[0].id))
    return [meeting for meeting, _ in measured[:limit]]


async def _soonest_in_sql(
    db: Database, now: datetime, inside: str, params: dict[str, Any]
) -> list[Row]:
    """The soonest few rows by minutes until the start, with each zone's offset of this moment:
    every row up to the limit-th one (ties too), and an hour either side when some zone changes
    its clocks within the week; the exact next starts (zoneinfo) then decide."""
    cases = []
    zones = await _known_zones(db, now)
    params["slack"] = week_slack(zones, now)
    for i, zone in enumerate(zones):
        params[f"z{i}"], params[f"o{i}"] = zone, offset_minutes(zone, now)
        cases.append(f"WHEN :z{i} THEN :o{i}")
    offset = f"CASE m.timezone {' '.join(cases)} END" if cases else "NULL"
    # A zone not (yet) in the list gives NULL, so key -1: always kept, measured exactly.
    start = f"m.day * 1440 + m.start_minute - {offset}"
    key = f"coalesce((({start} - :now) % {_WEEK} + {_WEEK}) % {_WEEK}, -1)"
    return await db.fetchall(
        f"WITH inside AS MATERIALIZED (SELECT * FROM ("  # noqa: S608 - fixed fragments, values bound
        f"  SELECT m.pk AS pk, {key} AS k, {distance_sql()} AS distance {inside}) AS candidates"
        "  WHERE distance <= :radius)"
        f" SELECT {_columns('m')}, inside.distance AS distance FROM inside"
        " JOIN meetings m ON m.pk = inside.pk WHERE inside.k <= :slack + coalesce("
        f"  (SELECT k FROM inside ORDER BY k LIMIT 1 OFFSET :limit - 1), {_WEEK})",
        params,
    )


async def _soonest_in_python(
    db: Database, now: datetime, inside: str, params: dict[str, Any]
) -> list[tuple[Row, float]]:
    """The same choice without SQL math functions: distances and keys measured here."""
    lat, lon, radius_km, limit = params["lat"], params["lon"], params["radius"], params["limit"]
    rows = await db.fetchall(f"SELECT {_columns('m')}, m.start_minute {inside}", params)
    offsets: dict[str, int] = {}
    keyed = []
    for row in rows:
        distance = great_circle_km(lat, lon, row["lat"], row["lon"])
        if distance > radius_km:
            continue
        zone = row["timezone"]
        if zone not in offsets:
            offsets[zone] = offset_minutes(zone, now)
        start = row["day"] * 1440 + row["start_minute"] - offsets[zone]
        keyed.append(((start - params["now"]) % _WEEK, distance, row))
    keyed.sort(key=lambda k: k[0])
    cutoff = keyed[limit - 1][0] + week_slack(list(offsets), now) if len(keyed) >= limit else _WEEK
    return [(row, distance) for key, distance, row in keyed if key <= cutoff]


async def _known_zones(db: Database, now: datetime) -> list[str]:
    known = _zones.get(db)
    if known is None or not (known[0] <= now < known[0] + _ZONES_FOR):
        rows = await db.fetchall("SELECT DISTINCT timezone FROM meetings")
        known = _zones[db] = (now, [row[0] for row in rows])
    return known[1]
