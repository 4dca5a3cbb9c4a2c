"""The single point choosing the tests' database: SQLite files (default) or PostgreSQL.

`pytest --database=postgresql` starts one throwaway cluster for the session (fotfeste.pgcluster)
and gives every server a fresh database of its own, as every SQLite server has its own file.
"""

from __future__ import annotations

import asyncio
import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from fotfeste.pgcluster import Cluster

ENGINES = ("sqlite", "postgresql")
engine = "sqlite"
_cluster: Cluster | None = None
_numbers = itertools.count(1)
_template: str | None = None
_by_data_dir: dict[Path, str] = {}


def cluster() -> Cluster:
    """The session's cluster, started on first use."""
    global _cluster
    if _cluster is None:
        _cluster = Cluster().start()
    return _cluster


def _migrated_template(server: Cluster) -> str:
    """A database with every migration applied, copied for each server (a copy is ~10x faster)."""
    global _template
    if _template is None:
        import psycopg

        from fotfeste.clock import FixedClock
        from fotfeste.db_postgres import PostgresDatabase

        with psycopg.connect(server.url_for("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE fotfeste_template")

        async def migrate() -> None:
            db = PostgresDatabase(server.url_for("fotfeste_template"), readers=1)
            await db.connect()
            try:
                await db.migrate(FixedClock(datetime(2026, 1, 1, tzinfo=UTC)))
            finally:
                await db.close()

        # Called from sync fixtures, possibly under a running loop: a thread of its own.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, migrate()).result()
        _template = "fotfeste_template"
    return _template


def new_postgresql_database(*, migrated: bool = True) -> str:
    """A fresh database: with every migration applied (the default) or empty."""
    import psycopg

    server = cluster()
    name = f"test_{next(_numbers)}"
    template = f" TEMPLATE {_migrated_template(server)}" if migrated else ""
    with psycopg.connect(server.url_for("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}{template}")
    return server.url_for(name)


def database_url(data_dir: Path) -> str | None:
    """FOTFESTE_DATABASE_URL for a server with this data dir: None means its SQLite file.

    One database per data dir, so a server restarted on the same dir finds its data again.
    """
    if engine != "postgresql":
        return None
    if data_dir not in _by_data_dir:
        _by_data_dir[data_dir] = new_postgresql_database()
    return _by_data_dir[data_dir]


def stop() -> None:
    global _cluster, _template
    if _cluster is not None:
        _cluster.stop()
        _cluster = None
        _template = None
        _by_data_dir.clear()
