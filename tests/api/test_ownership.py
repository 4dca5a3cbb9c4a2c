"""Export and delete come from the schema: no table may hold account data outside the rules."""

from __future__ import annotations

from typing import Any

from fotfeste.accounts.ownership import SECRET_COLUMNS, SHARED_TABLES
from tests import engine
from tests.conftest import LiveServer

Schema = dict[str, tuple[list[str], list[tuple[str, str, str, str]]]]


def _schema(server: LiveServer) -> Schema:
    """Every table with its columns and foreign keys, as the server's own Database describes them
    (export and delete are derived from the same description)."""
    return server.run(_describe(server.db))


async def _describe(db: Any) -> Schema:
    tables = await db.tables()
    if engine.engine == "sqlite":
        # SQLite's R*Tree is a virtual table (left out of tables()) kept in shadow tables (in
        # it): the virtual table stands for them, as its plain counterpart does on PostgreSQL.
        rows = await db.fetchall(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
        virtual = [row[0] for row in rows]
        tables = [t for t in tables if not any(t.startswith(f"{v}_") for v in virtual)]
        tables += virtual
    return {
        table: (
            await db.columns(table),
            [
                (row["table"], row["from"], row["to"], row["on_delete"])
                for row in await db.foreign_keys(table)
            ],
        )
        for table in tables
    }


def test_every_table_is_account_owned_with_cascade_or_declared_shared(
    live_server: LiveServer,
) -> None:
    for table, (columns, foreign_keys) in _schema(live_server).items():
        if table == "accounts":
            continue
        if "account_id" in columns:
            assert table not in SHARED_TABLES, f"{table} has account_id but is declared shared"
            assert ("accounts", "account_id", "id", "CASCADE") in foreign_keys, (
                f"{table}.account_id must reference accounts(id) ON DELETE CASCADE"
            )
        else:
            assert table in SHARED_TABLES, (
                f"{table} has no account_id: add it, or declare in SHARED_TABLES why it holds"
                " no account data"
            )


def test_declarations_name_real_tables_and_columns(live_server: LiveServer) -> None:
    schema = _schema(live_server)
    for table in SHARED_TABLES:
        assert table in schema, f"SHARED_TABLES names {table}, which does not exist"
    for table, columns in SECRET_COLUMNS.items():
        assert table in schema
        assert columns <= set(schema[table][0])
