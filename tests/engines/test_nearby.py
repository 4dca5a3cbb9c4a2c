"""Nearby search on PostgreSQL (GiST on the R*Tree's boxes) returns exactly what SQLite returns."""

from __future__ import annotations

import json
import random
from pathlib import Path

from fotfeste.db import Database
from fotfeste.meetings import store
from fotfeste.meetings.importer import import_source
from tests.engines.conftest import CLOCK


def _feed(path: Path) -> Path:
    """1,500 meetings around Stockholm and Oslo, some at one address (ties broken by id)."""
    rng = random.Random(19)
    meetings = []
    for i in range(1500):
        if i % 10 == 0 and meetings:  # a second group at the same place as an earlier one
            lat, lon = meetings[rng.randrange(len(meetings))]["latitude"], meetings[-1]["longitude"]
        else:
            centre = (59.33, 18.06) if i % 2 else (59.91, 10.75)
            lat = round(centre[0] + rng.uniform(-0.6, 0.6), 6)
            lon = round(centre[1] + rng.uniform(-1.2, 1.2), 6)
        meetings.append(
            {
                "slug": f"m{i}",
                "name": f"Group {i}",
                "day": i % 7,
                "time": f"{10 + i % 10}:00",
                "timezone": "Europe/Stockholm",
                "types": ["O"] if i % 3 else ["C"],
                "formatted_address": f"Street {i}",
                "latitude": lat,
                "longitude": lon,
                "attendance_option": "in_person",
            }
        )
    path.write_text(json.dumps(meetings))
    return path


async def test_nearby_is_the_same_on_both_engines(
    tmp_path: Path, sqlite_db: Database, postgresql_db: Database
) -> None:
    feed = _feed(tmp_path / "feed.json")
    for db in (sqlite_db, postgresql_db):
        await import_source(db, CLOCK, str(feed), "meeting-guide", source="feed")
    now = CLOCK.now()
    queries = [
        {"lat": 59.3303, "lon": 18.0588, "radius_km": 5.0, "limit": 50},
        {"lat": 59.3303, "lon": 18.0588, "radius_km": 50.0, "limit": 20},
        {"lat": 59.91, "lon": 10.75, "radius_km": 100.0, "limit": 200},
        {"lat": 59.6, "lon": 14.0, "radius_km": 300.0, "limit": 10},
        {"lat": 59.3303, "lon": 18.0588, "radius_km": 30.0, "limit": 50, "day": 3},
        {"lat": 59.3303, "lon": 18.0588, "radius_km": 30.0, "limit": 50, "type_code": "C"},
    ]
    for query in queries:
        on_sqlite = await store.nearby(sqlite_db, now, **query)  # type: ignore[arg-type]
        on_postgresql = await store.nearby(postgresql_db, now, **query)  # type: ignore[arg-type]
        assert on_sqlite, query
        assert [(m.id, m.distance_km) for m in on_postgresql] == [
            (m.id, m.distance_km) for m in on_sqlite
        ], query
        assert on_postgresql == on_sqlite, query


async def test_postgresql_finds_candidates_through_the_gist_index(
    tmp_path: Path, postgresql_db: Database
) -> None:
    from fotfeste.db_postgres import PostgresDatabase
    from fotfeste.dialect import to_postgresql

    await import_source(postgresql_db, CLOCK, str(_feed(tmp_path / "f.json")), "meeting-guide")
    assert isinstance(postgresql_db, PostgresDatabase)
    async with postgresql_db.native() as conn:
        await conn.execute("ANALYZE meetings_geo")
        cursor = await conn.execute(
            to_postgresql(
                "EXPLAIN SELECT pk FROM meetings_geo g WHERE"
                " (g.max_lat >= :a AND g.min_lat <= :b AND g.max_lon >= :c AND g.min_lon <= :d)"
            ),
            {"a": 59.30, "b": 59.36, "c": 18.0, "d": 18.1},
        )
        plan = "\n".join(row[0] for row in await cursor.fetchall())
    assert "meetings_geo_box" in plan, plan
