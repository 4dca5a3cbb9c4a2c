"""SQL for accounts, tokens and recovery codes; export and delete for every account table."""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from fotfeste.accounts.logic import RecoveryCode
from fotfeste.accounts.models import Account
from fotfeste.accounts.ownership import SECRET_COLUMNS
from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, Unavailable
from fotfeste.errors import NotFound, Unauthorized
from fotfeste.ids import new_id, new_token, token_digest
from fotfeste.kdf import Argon2id, KdfPool
from fotfeste.motivation.service import drop_news_of

# The secret part is 80 random bits, so the KDF guards a leak, not a guessable password: OWASP's
# lightest argon2id profile (19 MiB, t=2, p=1) keeps account creation cheap.
# Two pools of the same profile: recovery attempts (anyone can send them) and new codes (account
# creation, renewal). A flood of either waits in its own queue, never ahead of the other. New
# codes may queue deep: a thousand sign-ups at once is a launch day, not an attack, and each
# costs one hash.
_hasher = Argon2id(time_cost=2, memory_cost=19456, pool=KdfPool("recovery", workers=2, queue=32))
_new_codes = Argon2id(
    time_cost=2, memory_cost=19456, pool=KdfPool("new-codes", workers=2, queue=1024)
)
# Hashed at start from a random secret no code can hold (codes are 16 base32 characters).
_DUMMY_HASH = _hasher.hash_now(secrets.token_urlsafe(24))
_TOUCH_EVERY = timedelta(hours=1)
log = logging.getLogger(__name__)


async def create_account(
    db: Database,
    clock: Clock,
    *,
    role: str,
    locale: str,
    timezone: str,
    country: str | None,
    referral_code: str | None,
) -> tuple[str, str, RecoveryCode]:
    account_id, token, code = new_id(), new_token(), RecoveryCode.generate()
    recovery_hash = await _new_codes.hash(code.secret)
    now = isoformat_utc(clock.now())

    def insert(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO accounts (id, role, locale, timezone, country, created_at, referral_code,"
            " recovery_lookup, recovery_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                account_id,
                role,
                locale,
                timezone,
                country,
                now,
                referral_code,
                code.lookup,
                recovery_hash,
            ),
        )
        _insert_token(conn, account_id, token, now)

    await db.write(insert)
    return account_id, token, code


def _insert_token(conn: Conn, account_id: str, token: str, now: str) -> None:
    conn.execute(
        "INSERT INTO tokens (id, account_id, token_hash, created_at, last_used_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (new_id(), account_id, token_digest(token), now, now),
    )


async def account_for_token(db: Database, clock: Clock, token: str) -> Account | None:
    # Every authenticated request runs this: a unique-index lookup inline, never a cache. With
    # several app processes (or hosts), a token revoked, replaced by a recovery or deleted with
    # its account in one of them must be refused at once by all: a per-process cache would serve
    # it until it forgot. The cache it replaced saved ~3 % of a check-in (deploy/README.md).
    digest = token_digest(token)
    rows = await db.lookup(
        "SELECT a.id, a.role, a.locale, a.timezone, a.country, a.discreet,"
        " t.id AS token_id, t.last_used_at"
        " FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = ?",
        (digest,),
    )
    if not rows:
        return None
    row = rows[0]
    account = Account(
        id=row["id"],
        role=row["role"],
        locale=row["locale"],
        timezone=row["timezone"],
        country=row["country"],
        discreet=bool(row["discreet"]),
        token_id=row["token_id"],
    )
    now = clock.now()
    # Record use at most hourly: a write per request would cost more than the request itself.
    # Best effort: a locked or full database must not turn a read into an error.
    if now > datetime.fromisoformat(row["last_used_at"]) + _TOUCH_EVERY:
        touched, token_id = isoformat_utc(now), account.token_id

        def touch(conn: Conn) -> None:
            conn.execute("UPDATE tokens SET last_used_at = ? WHERE id = ?", (touched, token_id))

        try:
            await db.write(touch)
        except Unavailable as exc:
            log.warning("could not record token use: %s", exc)
    return account


async def recover(
    db: Database, clock: Clock, code: RecoveryCode, *, keep_other_devices: bool
) -> tuple[str, str, RecoveryCode]:
    """Trade a valid recovery code for a new token and a new code; the old code dies."""
    row = await db.fetchone(
        "SELECT id, recovery_hash FROM accounts WHERE recovery_lookup = ?", (code.lookup,)
    )
    # A lookup part that matches nothing still costs one verify, against a hash that matches no
    # secret: otherwise the answer's time tells which 8-character lookups exist.
    hashed = _DUMMY_HASH if row is None else row["recovery_hash"]
    if not await _hasher.verify(hashed, code.secret) or row is None:
        raise Unauthorized("That recovery code is not right")
    account_id = row["id"]
    token, fresh = new_token(), RecoveryCode.generate()
    fresh_hash = await _hasher.hash(fresh.secret)
    now = isoformat_utc(clock.now())

    def trade(conn: Conn) -> None:
        # The lookup in the WHERE makes a code usable once even when two recoveries race.
        cursor = conn.execute(
            "UPDATE accounts SET recovery_lookup = ?, recovery_hash = ?"
            " WHERE id = ? AND recovery_lookup = ?",
            (fresh.lookup, fresh_hash, account_id, code.lookup),
        )
        if cursor.rowcount != 1:
            raise Unauthorized("That recovery code has already been used")
        if not keep_other_devices:
            conn.execute("DELETE FROM tokens WHERE account_id = ?", (account_id,))
        _insert_token(conn, account_id, token, now)

    await db.write(trade)
    return account_id, token, fresh


async def renew_recovery_code(db: Database, account_id: str) -> RecoveryCode:
    fresh = RecoveryCode.generate()
    fresh_hash = await _new_codes.hash(fresh.secret)

    def replace(conn: Conn) -> None:
        conn.execute(
            "UPDATE accounts SET recovery_lookup = ?, recovery_hash = ? WHERE id = ?",
            (fresh.lookup, fresh_hash, account_id),
        )

    await db.write(replace)
    return fresh


async def profile_row(db: Database, account_id: str) -> Any:
    # A primary-key lookup on a hot path (GET /api/me at every app start): inline.
    rows = await db.lookup(
        "SELECT id, role, locale, timezone, country, discreet, created_at, referral_code"
        " FROM accounts WHERE id = ?",
        (account_id,),
    )
    if not rows:
        raise NotFound("No such account")
    return rows[0]


async def update_profile(db: Database, account_id: str, changes: dict[str, Any]) -> None:
    if not changes:
        return
    allowed = {"locale", "timezone", "country", "discreet"}
    columns = [name for name in changes if name in allowed]
    assignments = ", ".join(f"{name} = ?" for name in columns)

    def update(conn: Conn) -> None:
        conn.execute(
            f"UPDATE accounts SET {assignments} WHERE id = ?",  # noqa: S608 - names from a fixed set
            (*(changes[name] for name in columns), account_id),
        )

    await db.write(update)


async def devices(db: Database, account_id: str) -> list[Any]:
    return await db.fetchall(
        "SELECT id, created_at, last_used_at FROM tokens WHERE account_id = ? ORDER BY created_at",
        (account_id,),
    )


async def revoke_device(db: Database, account_id: str, token_id: str) -> None:
    def delete(conn: Conn) -> int:
        return conn.execute(
            "DELETE FROM tokens WHERE id = ? AND account_id = ?", (token_id, account_id)
        ).rowcount

    deleted = await db.write(delete)
    if deleted == 0:
        raise NotFound("No such device")


async def account_tables(db: Database) -> list[str]:
    """Tables with an account_id column: everything export and delete must cover."""
    return [t for t in await db.tables() if "account_id" in await db.columns(t)]


async def export(db: Database, account_id: str) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, key in [("accounts", "id")] + [(t, "account_id") for t in await account_tables(db)]:
        hidden = SECRET_COLUMNS.get(table, frozenset())
        columns = [c for c in await db.columns(table) if c not in hidden]
        select = ", ".join(f'"{c}"' for c in columns)
        rows = await db.fetchall(
            f'SELECT {select} FROM "{table}" WHERE "{key}" = ?',  # noqa: S608 - names from the schema
            (account_id,),
        )
        tables[table] = [dict(zip(columns, row, strict=True)) for row in rows]
    return tables


async def delete_account(db: Database, account_id: str) -> None:
    """Delete the account row; ON DELETE CASCADE removes every account table's rows with it."""

    def delete(conn: Conn) -> None:
        # Outbox rows are the recipient's: a supporter's news of this person goes by hand.
        drop_news_of(conn, account_id)
        conn.execute("DELETE FROM accounts WHERE id = ?", (account_id,))

    # Years of check-ins, responses and outbox rows may go with it: in the writer thread.
    await db.write(delete, long=True)
    await db.checkpoint()


async def last_seen(db: Database, account_ids: list[str]) -> dict[str, str]:
    """When each account last used any device (hourly precision), for aggregate counts only."""
    rows = await db.fetchall(
        "SELECT account_id, max(last_used_at) AS seen FROM tokens"
        " WHERE account_id IN (SELECT value FROM json_each(?)) GROUP BY account_id",
        (json.dumps(account_ids),),
    )
    return {row["account_id"]: row["seen"] for row in rows}
