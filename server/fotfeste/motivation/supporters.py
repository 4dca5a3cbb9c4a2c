"""SQL and rules for supporters: one-time codes, links owned on both sides, encouragements.

Every query names the account it acts for, so a link is reached only by the person it belongs to
(`supporter_links.account_id`) or by its supporter (`supporting.account_id`). A link has ended
when either side ended it or the supporter's account is gone (no `supporting` row).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, Row
from fotfeste.ids import new_id

CODE_VALID = timedelta(hours=48)
# Read aloud without mix-ups: no 0/O, 1/I/L, 5/S, 2/Z, 8/B.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
ENCOURAGEMENTS_PER_DAY = 10
_TOPIC_PREFIX = "supporter-"
# A link's news still waiting for the end of its supporter's quiet hours (by the account index).
_DROP_NEWS = (
    "DELETE FROM push_outbox WHERE account_id IN (SELECT account_id FROM supporting"
    " WHERE link_id = ?) AND topic = ?"
)


def news_topic(link_id: str) -> str:
    """The push topic of one link's milestone news (32 characters at most, as Web Push allows):
    a newer milestone replaces an unseen older one of the same person only, and the news still
    waiting in the outbox (quiet hours) is found and dropped when the link ends."""
    return f"{_TOPIC_PREFIX}{link_id}"


def drop_news_of(conn: Conn, account_id: str) -> None:
    """Before a person's account goes: their supporters' news still waiting is never sent."""
    conn.execute(
        "DELETE FROM push_outbox WHERE account_id IN (SELECT s.account_id FROM supporting s"
        " JOIN supporter_links l ON l.id = s.link_id WHERE l.account_id = ?)"
        " AND topic IN (SELECT ? || id FROM supporter_links WHERE account_id = ?)",
        (account_id, _TOPIC_PREFIX, account_id),
    )


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


async def create_invitation(
    db: Database, clock: Clock, account_id: str, shares: str
) -> tuple[str, datetime]:
    now = clock.now()
    code, expires = new_code(), now + CODE_VALID

    def invite(conn: Conn) -> None:
        # Expired codes of this person go as new ones come.
        conn.execute(
            "DELETE FROM supporter_invitations WHERE account_id = ? AND expires_at <= ?",
            (account_id, isoformat_utc(now)),
        )
        conn.execute(
            "INSERT INTO supporter_invitations (code_hash, account_id, shares, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?)",
            (code_hash(code), account_id, shares, isoformat_utc(now), isoformat_utc(expires)),
        )

    await db.write(invite)
    return code, expires


async def accept(db: Database, clock: Clock, supporter_id: str, code: str) -> Row | None:
    """Turn a live code into a link; None for an unknown or expired code, or one's own."""
    now = isoformat_utc(clock.now())
    link_id = new_id()

    def link(conn: Conn) -> bool:
        found = conn.execute(
            "DELETE FROM supporter_invitations WHERE code_hash = ? AND expires_at > ?"
            " AND account_id != ? RETURNING account_id, shares",
            (code_hash(code), now, supporter_id),
        ).fetchone()
        if found is None:
            return False
        conn.execute(
            "INSERT INTO supporter_links (id, account_id, shares, created_at) VALUES (?, ?, ?, ?)",
            (link_id, found[0], found[1], now),
        )
        conn.execute(
            "INSERT INTO supporting (link_id, account_id, created_at) VALUES (?, ?, ?)",
            (link_id, supporter_id, now),
        )
        return True

    if not await db.write(link):
        return None
    return await db.fetchone(
        "SELECT l.id, l.shares FROM supporter_links l WHERE l.id = ?", (link_id,)
    )


async def supporters(db: Database, account_id: str) -> list[Row]:
    """The person's side: every link, newest first, with whether it has ended."""
    return await db.fetchall(
        "SELECT l.id, l.shares, l.created_at,"
        " (l.ended_at IS NOT NULL OR s.link_id IS NULL) AS ended"
        " FROM supporter_links l LEFT JOIN supporting s ON s.link_id = l.id"
        " WHERE l.account_id = ? ORDER BY l.created_at DESC, l.id",
        (account_id,),
    )


async def supporting(db: Database, supporter_id: str) -> list[Row]:
    """The supporter's side: each person's link id, shares, ended, and (for live links) the
    person's account id and time zone, which never leave the server."""
    return await db.fetchall(
        "SELECT l.id, l.shares, l.ended_at IS NOT NULL AS ended, l.account_id AS person,"
        " a.timezone FROM supporting s JOIN supporter_links l ON l.id = s.link_id"
        " JOIN accounts a ON a.id = l.account_id"
        " WHERE s.account_id = ? ORDER BY s.created_at DESC, l.id",
        (supporter_id,),
    )


async def end_as_person(db: Database, clock: Clock, account_id: str, link_id: str) -> bool:
    now = isoformat_utc(clock.now())

    def end(conn: Conn) -> int:
        ended = conn.execute(
            "UPDATE supporter_links SET ended_at = ? WHERE id = ? AND account_id = ?"
            " AND ended_at IS NULL AND EXISTS (SELECT 1 FROM supporting WHERE link_id = id)",
            (now, link_id, account_id),
        ).rowcount
        if ended > 0:  # news held by the supporter's quiet hours would tell them more
            conn.execute(_DROP_NEWS, (link_id, news_topic(link_id)))
        return ended

    return await db.write(end) > 0


async def end_as_supporter(db: Database, clock: Clock, supporter_id: str, link_id: str) -> bool:
    now = isoformat_utc(clock.now())

    def end(conn: Conn) -> int:
        ended = conn.execute(
            "UPDATE supporter_links SET ended_at = ? WHERE id = ? AND ended_at IS NULL"
            " AND id IN (SELECT link_id FROM supporting WHERE account_id = ?)",
            (now, link_id, supporter_id),
        ).rowcount
        if ended > 0:
            conn.execute(_DROP_NEWS, (link_id, news_topic(link_id)))
        return ended

    return await db.write(end) > 0


async def live_person(db: Database, supporter_id: str, link_id: str) -> Row | None:
    """The person behind a live link of this supporter (for an encouragement), or None."""
    return await db.fetchone(
        "SELECT l.account_id AS person, a.locale, a.discreet, a.timezone FROM supporting s"
        " JOIN supporter_links l ON l.id = s.link_id JOIN accounts a ON a.id = l.account_id"
        " WHERE s.link_id = ? AND s.account_id = ? AND l.ended_at IS NULL",
        (link_id, supporter_id),
    )


async def add_encouragement(db: Database, clock: Clock, person_id: str, kind: str) -> bool:
    """Store one encouragement; False when the person already got today's share of them."""
    now = clock.now()

    def add(conn: Conn) -> bool:
        # Counted in the same transaction as the insert, so racing ones cannot pass the cap.
        count = conn.execute(
            "SELECT count(*) FROM encouragements WHERE account_id = ? AND at > ?",
            (person_id, isoformat_utc(now - timedelta(days=1))),
        ).fetchone()[0]
        if count >= ENCOURAGEMENTS_PER_DAY:
            return False
        conn.execute(
            "INSERT INTO encouragements (id, account_id, kind, at) VALUES (?, ?, ?, ?)",
            (new_id(), person_id, kind, isoformat_utc(now)),
        )
        return True

    return await db.write(add)


async def encouragements(db: Database, account_id: str, limit: int = 50) -> list[Row]:
    return await db.fetchall(
        "SELECT kind, at FROM encouragements WHERE account_id = ?"
        " ORDER BY at DESC, rowid DESC LIMIT ?",
        (account_id, limit),
    )
