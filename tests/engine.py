"""The single point choosing the tests' database: SQLite files (default) or PostgreSQL.

`pytest --database=postgresql` starts one throwaway cluster for the session (fotfeste.pgcluster)
and gives every server a fresh database of its own, as every SQLite server has its own file.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from fotfeste.pgcluster import Cluster

ENGINES = ("sqlite", "postgresql")
engine = "sqlite"
_cluster: Cluster | None = None
_numbers = itertools.count(1)


def cluster() -> Cluster:
    """The session's cluster, started on first use."""
    global _cluster
    if _cluster is None:
        _cluster = Cluster().start()
    return _cluster


def new_postgresql_database() -> str:
    import psycopg

    server = cluster()
    name = f"test_{next(_numbers)}"
    with psycopg.connect(server.url_for("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.url_for(name)


def database_url(data_dir: Path) -> str | None:
    """FOTFESTE_DATABASE_URL for a server with this data dir: None means its SQLite file."""
    if engine == "postgresql":
        return new_postgresql_database()
    return None


def stop() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None
