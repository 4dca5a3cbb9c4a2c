"""Export and delete come from the schema: no table may hold account data outside the rules."""

from __future__ import annotations

import sqlite3

from fotfeste.accounts.ownership import SECRET_COLUMNS, SHARED_TABLES
from tests.conftest import LiveServer


def _schema(path: object) -> dict[str, tuple[list[str], list[tuple[str, str, str, str]]]]:
    with sqlite3.connect(str(path)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        shadow = {
            row[0]
            for row in conn.execute(
                "SELECT s.name FROM sqlite_master s JOIN sqlite_master v"
                " ON v.sql LIKE 'CREATE VIRTUAL TABLE%' AND s.name LIKE v.name || '_%'"
                " WHERE s.type = 'table'"
            )
        }
        return {
            table: (
                [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')],
                [
                    (row[2], row[3], row[4], row[6])
                    for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')
                ],
            )
            for table in tables
            if table not in shadow
        }


def test_every_table_is_account_owned_with_cascade_or_declared_shared(
    live_server: LiveServer,
) -> None:
    for table, (columns, foreign_keys) in _schema(live_server.database_path).items():
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
    schema = _schema(live_server.database_path)
    for table in SHARED_TABLES:
        assert table in schema, f"SHARED_TABLES names {table}, which does not exist"
    for table, columns in SECRET_COLUMNS.items():
        assert table in schema
        assert columns <= set(schema[table][0])
