"""One numbered source of migrations: both engines end with the same tables, columns and keys."""

from __future__ import annotations

from fotfeste.db import Conn, Database, IntegrityError
from tests.engines.conftest import CLOCK


async def test_both_engines_have_the_same_tables_and_columns(
    sqlite_db: Database, postgresql_db: Database
) -> None:
    # SQLite's R*Tree is a virtual table with shadow tables; PostgreSQL's is one plain table.
    sqlite_tables = [t for t in await sqlite_db.tables() if not t.startswith("meetings_geo")]
    assert sqlite_tables == [t for t in await postgresql_db.tables() if t != "meetings_geo"]
    assert "checkins" in sqlite_tables
    for table in sqlite_tables:
        assert await sqlite_db.columns(table) == await postgresql_db.columns(table), table
        sqlite_keys = sorted(tuple(row) for row in await sqlite_db.foreign_keys(table))
        postgresql_keys = sorted(tuple(row) for row in await postgresql_db.foreign_keys(table))
        assert sqlite_keys == postgresql_keys, table


async def test_migrate_again_applies_nothing_on_postgresql(postgresql_db: Database) -> None:
    assert await postgresql_db.migrate(CLOCK) == []
    versions = [
        row[0]
        for row in await postgresql_db.fetchall(
            "SELECT version FROM schema_migrations ORDER BY version"
        )
    ]
    assert versions[:3] == [1, 2, 3]


async def test_checks_hold_on_postgresql_as_on_sqlite(
    sqlite_db: Database, postgresql_db: Database
) -> None:
    """The CHECKs written as functions on PostgreSQL refuse what SQLite's refuse."""
    for db in (sqlite_db, postgresql_db):

        def account(conn: Conn) -> None:
            conn.execute(
                "INSERT INTO accounts (id, role, locale, timezone, created_at)"
                " VALUES ('a', 'self', 'sv', 'Europe/Stockholm', '2026-01-01T00:00:00Z')"
            )

        await db.write(account)
        for bad_date, substances in (("2026-13-01", "[]"), ("2026-3-1", "[]"), ("2026-03-01", "[")):

            def checkin(conn: Conn, day: str = bad_date, s: str = substances) -> None:
                conn.execute(
                    "INSERT INTO checkins (account_id, date, used, substances, created_at,"
                    " updated_at) VALUES ('a', ?, 0, ?, 'x', 'x')",
                    (day, s),
                )

            try:
                await db.write(checkin)
            except IntegrityError:
                continue
            raise AssertionError(
                f"{getattr(db, 'engine', 'sqlite')}: {bad_date} {substances} taken"
            )
        assert await db.fetchval("SELECT count(*) FROM checkins") == 0
