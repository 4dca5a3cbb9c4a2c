"""psycopg made to look as sqlite3 does to the stores, for db_postgres.py.

Rows read by position or by column name (as sqlite3.Row), sums (NUMERIC) back as int or float,
Python's bools stored as the schema's 0/1 integers, and a write unit's statements in SQLite's SQL
(translated by dialect.py), a constraint violation raised as db_errors.IntegrityError.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import adapt
from psycopg.rows import RowMaker

from fotfeste.db_errors import IntegrityError
from fotfeste.dialect import to_postgresql
from fotfeste.errors import InvalidInput

Params = Sequence[Any] | dict[str, Any]


class Row(tuple[Any, ...]):
    """A row read by position or by column name, as sqlite3.Row is."""

    _names: dict[str, int]

    def __new__(cls, values: Iterable[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def row_factory(cursor: Any) -> RowMaker[Row]:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


class _NumericLoader(adapt.Loader):
    """sum() of BIGINT is NUMERIC: back to int (or float), as SQLite gives."""

    def load(self, data: Any) -> Any:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class _BoolAsInt(adapt.Dumper):
    """The schema keeps SQLite's 0/1 integers; Python's bools go in as those."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


def configure(conn: psycopg.Connection[Any] | psycopg.AsyncConnection[Any]) -> None:
    conn.adapters.register_loader("numeric", _NumericLoader)
    conn.adapters.register_dumper(bool, _BoolAsInt)


@contextmanager
def statement_errors() -> Iterator[None]:
    """psycopg's errors in a statement as the stores know them: a constraint violation is
    db_errors.IntegrityError, and text with U+0000, which PostgreSQL cannot hold (psycopg refuses
    to send it), is the request's own fault: a 400 saying so, not a 500 (SQLite stores it)."""
    try:
        yield
    except psycopg.IntegrityError as exc:
        raise IntegrityError(str(exc)) from exc
    except psycopg.DataError as exc:
        if "NUL (0x00)" not in str(exc):
            raise
        raise InvalidInput("Text cannot contain the character U+0000 (NUL)") from exc


class WriteConnection:
    """What a write unit sees: execute()/executemany() in SQLite's SQL, cursors with rows."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Params = ()) -> psycopg.ClientCursor[Any]:
        cursor = psycopg.ClientCursor(self._conn, row_factory=row_factory)
        with statement_errors():
            cursor.execute(to_postgresql(sql), params or None)
        return cursor

    def executemany(self, sql: str, seq: Iterable[Params]) -> psycopg.ClientCursor[Any]:
        cursor = psycopg.ClientCursor(self._conn, row_factory=row_factory)
        with statement_errors():
            cursor.executemany(to_postgresql(sql), list(seq))
        return cursor
