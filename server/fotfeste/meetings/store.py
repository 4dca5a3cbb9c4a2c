"""SQL for meetings (nearby via the R*Tree, online, one) and favourites; the attendance log is
in attendance.py."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, Row
from fotfeste.errors import NotFound
from fotfeste.meetings.logic import (
    bounding_boxes,
    great_circle_km,
    haversine_km,
    next_start,
)
from fotfeste.meetings.models import Location, Meeting
from fotfeste.meetings.sql_maths import SQLITE_MATHS, Sql
from fotfeste.wallclock import weekday

COLUMNS = (
    "id, name, fellowship, day, time, end_time, timezone, types, attendance, temporarily_closed,"
    " location_name, address, lat, lon, conference_url, conference_phone, notes"
)


@cache
def distance_sql(lat_column: str = "m.lat", lon_column: str = "m.lon") -> str:
    """SQL for the km from the point (:lat, :lon) to a row's: logic.haversine_km, the one
    definition, written as SQL, so only the nearest rows ever reach Python."""
    point = Sql(":lat"), Sql(":lon")
    row = Sql(lat_column), Sql(lon_column)
    return str(haversine_km(*point, *row, SQLITE_MATHS).text)


def box_sql(lat: float, lon: float, radius_km: float, params: dict[str, Any]) -> str:
    """SQL for "in the R*Tree boxes around the point" (meetings_geo as g), its values added to
    params: the candidates that the distance then decides on."""
    boxes = []
    for i, (min_lat, max_lat, min_lon, max_lon) in enumerate(bounding_boxes(lat, lon, radius_km)):
        params.update({f"a{i}": min_lat, f"b{i}": max_lat, f"c{i}": min_lon, f"d{i}": max_lon})
        boxes.append(
            f"(g.max_lat >= :a{i} AND g.min_lat <= :b{i}"
            f" AND g.max_lon >= :c{i} AND g.min_lon <= :d{i})"
        )
    return f"({' OR '.join(boxes)})"


@dataclass(frozen=True)
class FavouriteMeeting:
    """What the reminders need to know about a favourite: when it starts, where in time."""

    id: str
    name: str
    day: int
    time: str
    timezone: str


def to_meeting(row: Row, now: datetime, distance_km: float | None = None) -> Meeting:
    # An online meeting is no place to go: never a point on a map, never a distance.
    online = row["attendance"] == "online"
    return Meeting(
        id=row["id"],
        name=row["name"],
        fellowship=row["fellowship"],
        day=row["day"],
        time=row["time"],
        end_time=row["end_time"],
        timezone=row["timezone"],
        types=row["types"].split(",") if row["types"] else [],
        attendance=row["attendance"],
        location=Location(
            name=row["location_name"],
            address=row["address"],
            lat=None if online else row["lat"],
            lon=None if online else row["lon"],
        ),
        distance_km=None if distance_km is None or online else round(distance_km, 2),
        next_start=next_start(row["day"], row["time"], row["timezone"], now).isoformat(),
        conference_url=row["conference_url"],
        conference_phone=row["conference_phone"],
        notes=row["notes"],
        temporarily_closed=bool(row["temporarily_closed"]),
    )


def _filters(
    day: int | None, fellowship: str | None, type_code: str | None, params: dict[str, Any]
) -> str:
    clauses = []
    if day is not None:
        clauses.append("m.day = :day")
        params["day"] = day
    if fellowship:
        clauses.append("m.fellowship = :fellowship COLLATE NOCASE")
        params["fellowship"] = fellowship
    if type_code:
        clauses.append("instr(',' || m.types || ',', ',' || :type || ',') > 0")
        params["type"] = type_code
    return "".join(f" AND {c}" for c in clauses)


_sql_math: bool | None = None
# Nearby search widens in rings: in a city the nearest `limit` meetings lie within a few km, so
# only those few hundred rows are ever measured. The next ring is sized from the density seen.
_FIRST_RING_KM = 2.0
# The R*Tree keeps float32 coordinates (~0.5 m off): candidates are chosen with this slack in km
# before the exact distance decides, so a meeting is never lost to rounding.
_SLACK_KM = 0.005


def _next_ring(ring: float, found: int, limit: int, radius_km: float) -> float:
    # Meetings grow with the area, so sqrt(limit / found) times the ring should hold `limit`.
    growth = math.sqrt(limit / max(found, 0.5)) * 1.25
    return min(radius_km, ring * min(4.0, max(1.5, growth)))


async def nearby(
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
    """Meetings with a place within the radius, nearest first (ties by id).

    Every meeting within a ring is nearer than every meeting outside it, so once a ring holds
    `limit` meetings they are the answer; otherwise a wider ring is searched.
    """
    ring = min(radius_km, _FIRST_RING_KM)
    while True:
        found = await _within(db, lat, lon, ring, day, fellowship, type_code, limit)
        if len(found) >= limit or ring >= radius_km:
            return [to_meeting(row, now, distance) for distance, row in found]
        ring = _next_ring(ring, len(found), limit, radius_km)


async def _within(
    db: Database,
    lat: float,
    lon: float,
    radius_km: float,
    day: int | None,
    fellowship: str | None,
    type_code: str | None,
    limit: int,
) -> list[tuple[float, Row]]:
    """Up to `limit` (distance, row) pairs within the radius, nearest first."""
    global _sql_math
    params: dict[str, Any] = {
        "lat": lat,
        "lon": lon,
        "radius": radius_km,
        "limit": limit,
        "slack": _SLACK_KM,
    }
    where = _filters(day, fellowship, type_code, params)
    in_box = box_sql(lat, lon, radius_km, params)
    # Without filters the R*Tree alone answers "which points are near" (temporarily closed
    # places are not in it); filters need the rows.
    join = f" JOIN meetings m ON m.pk = g.pk WHERE {in_box}{where}" if where else f" WHERE {in_box}"
    if _sql_math is not False:
        try:
            rows = await db.fetchall(
                "WITH near AS MATERIALIZED ("  # noqa: S608 - fixed fragments, values bound
                f"  SELECT g.pk AS pk, {distance_sql('g.min_lat', 'g.min_lon')} AS d"
                f"  FROM meetings_geo g{join}),"
                # Every candidate as near as the limit-th one (within the slack) is kept, not
                # just `limit` of them: among meetings at one address the ids decide, not chance.
                " top AS MATERIALIZED ("
                "  SELECT pk FROM near WHERE d <= :radius + :slack AND d <= :slack + coalesce("
                "   (SELECT d FROM near ORDER BY d LIMIT 1 OFFSET :limit - 1), :radius))"
                f" SELECT * FROM (SELECT {_columns('m')}, {distance_sql()} AS distance"
                "  FROM top JOIN meetings m ON m.pk = top.pk"
                "  WHERE m.temporarily_closed = 0 AND m.attendance != 'online')"
                " AS candidates WHERE distance <= :radius ORDER BY distance, id LIMIT :limit",
                params,
            )
            _sql_math = True
            return [(row["distance"], row) for row in rows]
        except sqlite3.OperationalError as exc:
            if "no such function" not in str(exc):
                raise
            _sql_math = False  # an SQLite built without math functions: measure in Python
    rows = await db.fetchall(
        f"SELECT {_columns('m')} FROM meetings_geo g JOIN meetings m ON m.pk = g.pk"  # noqa: S608
        f" WHERE {in_box} AND m.temporarily_closed = 0 AND m.attendance != 'online'{where}",
        params,
    )
    measured = [(great_circle_km(lat, lon, r["lat"], r["lon"]), r["id"], r) for r in rows]
    within = sorted((m for m in measured if m[0] <= radius_km), key=lambda m: (m[0], m[1]))
    return [(distance, row) for distance, _, row in within[:limit]]


def _columns(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in COLUMNS.split(","))


_WEEK = 7 * 24 * 60
_ONLINE_MARGIN = 50


async def online(
    db: Database,
    now: datetime,
    *,
    day: int | None = None,
    fellowship: str | None = None,
    type_code: str | None = None,
    limit: int = 50,
) -> list[Meeting]:
    """Online and hybrid meetings, the one starting soonest first (ties by id).

    SQL sorts by minutes until the start, with each zone's offset of this moment, and keeps a
    margin beyond the limit; the exact next starts (zoneinfo) then decide. Only when ties or a
    clock change within the week could reach past that margin is every meeting up to the
    limit-th one read instead (a second pass over the index).
    """
    params: dict[str, Any] = {"limit": limit, "keep": limit + _ONLINE_MARGIN}
    where = _filters(day, fellowship, type_code, params)
    zones = [
        row[0]
        for row in await db.fetchall(
            "SELECT DISTINCT timezone FROM meetings WHERE attendance != 'in_person'"
        )
    ]
    offsets = []
    for i, zone in enumerate(zones):
        params[f"z{i}"], params[f"o{i}"] = zone, offset_minutes(zone, now)
        offsets.append(f"WHEN :z{i} THEN :o{i}")
    params["now"] = minutes_into_week(now)
    params["slack"] = slack = week_slack(zones, now)
    offset_sql = f"CASE m.timezone {' '.join(offsets)} ELSE 0 END" if offsets else "0"
    key = f"((m.day * 1440 + m.start_minute - ({offset_sql}) - :now) % {_WEEK} + {_WEEK}) % {_WEEK}"
    online_rows = f"FROM meetings m WHERE m.attendance != 'in_person'{where}"
    # Only keys go through the sort (the covering index); full rows are read for the few kept.
    rows = await db.fetchall(
        f"SELECT {COLUMNS}, {key} AS k FROM meetings m WHERE m.pk IN ("  # noqa: S608
        f" SELECT m.pk {online_rows} ORDER BY {key} LIMIT :keep)",
        params,
    )
    keys = sorted(row["k"] for row in rows)
    if len(rows) == params["keep"] and keys[-1] <= keys[limit - 1] + slack:
        rows = await db.fetchall(
            f"SELECT {COLUMNS}, 0 AS k FROM meetings WHERE pk IN ("  # noqa: S608
            f" SELECT m.pk {online_rows} AND {key} <= :slack + coalesce("
            f"  (SELECT {key} AS k {online_rows} ORDER BY k LIMIT 1 OFFSET :limit - 1), {_WEEK}))",
            params,
        )
    meetings = [to_meeting(row, now) for row in rows]
    meetings.sort(key=lambda m: (datetime.fromisoformat(m.next_start), m.id))
    return meetings[:limit]


def offset_minutes(zone: str, now: datetime) -> int:
    offset = now.astimezone(ZoneInfo(zone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def minutes_into_week(now: datetime) -> int:
    """Minutes from Sunday 00:00 UTC of this week to now, rounded up.

    Rounded up because a start counts only at or after now: a meeting that began at 19:00 is
    next week's when it is 19:00:30.
    """
    utc = now.astimezone(UTC)
    seconds = utc.hour * 3600 + utc.minute * 60 + utc.second + utc.microsecond / 1e6
    return weekday(utc.date()) * 1440 + math.ceil(seconds / 60)


def week_slack(zones: list[str], now: datetime) -> int:
    """Minutes a start may move against this moment's offsets within the coming week: two hours
    when some zone changes its clocks in that week (an hour either way), else none."""
    later = now + timedelta(days=7)
    changes = any(offset_minutes(zone, now) != offset_minutes(zone, later) for zone in zones)
    return 120 if changes else 0


async def meeting_row(db: Database, meeting_id: str) -> Row:
    row = await db.fetchone(f"SELECT {COLUMNS} FROM meetings WHERE id = ?", (meeting_id,))  # noqa: S608
    if row is None:
        raise NotFound("No such meeting (it may have left its list)")
    return row


# --- favourites (account data) -------------------------------------------------------------


async def add_favourite(db: Database, clock: Clock, account_id: str, meeting_id: str) -> None:
    await meeting_row(db, meeting_id)
    now = isoformat_utc(clock.now())

    def add(conn: Conn) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO meeting_favourites (account_id, meeting_id, created_at)"
            " VALUES (?, ?, ?)",
            (account_id, meeting_id, now),
        )

    await db.write(add)


async def remove_favourite(db: Database, account_id: str, meeting_id: str) -> None:
    def remove(conn: Conn) -> None:
        conn.execute(
            "DELETE FROM meeting_favourites WHERE account_id = ? AND meeting_id = ?",
            (account_id, meeting_id),
        )

    await db.write(remove)


async def favourite_rows(db: Database, account_id: str) -> list[Row]:
    """The account's favourites that are still listed (a vanished one comes back with its feed)."""
    return await db.fetchall(
        f"SELECT {_columns('m')} FROM meeting_favourites f JOIN meetings m ON m.id = f.meeting_id"  # noqa: S608
        " WHERE f.account_id = ? ORDER BY f.created_at, m.id",
        (account_id,),
    )


async def favourite_meetings_for_account(db: Database, account_id: str) -> list[FavouriteMeeting]:
    """For other domains (meeting reminders): each favourite's id, name, day, time and zone."""
    rows = await db.fetchall(
        "SELECT m.id, m.name, m.day, m.time, m.timezone FROM meeting_favourites f"
        " JOIN meetings m ON m.id = f.meeting_id WHERE f.account_id = ? ORDER BY m.id",
        (account_id,),
    )
    return [FavouriteMeeting(r["id"], r["name"], r["day"], r["time"], r["timezone"]) for r in rows]


# --- attendance log (account data) ---------------------------------------------------------
