"""The database's errors, the same on either engine; stores import them from fotfeste.db.

db_sqlite.py turns sqlite3's errors into these, db_postgres.py psycopg's.
"""

from __future__ import annotations


class IntegrityError(Exception):
    """A constraint (unique, foreign key, check, not null) refused the write; nothing was kept."""


class Unavailable(Exception):
    """The database cannot do it now (locked by another process past the wait, disk full, I/O
    error). Nothing was written; the API answers 503 with Retry-After."""


class MigrationError(RuntimeError):
    """A migration file is malformed or failed; nothing of it was applied."""
