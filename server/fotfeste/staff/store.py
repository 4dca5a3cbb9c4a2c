"""SQL for clinics, referral codes, clinic links, outcome releases and the audit log.

Staff users and their sessions: user_store.py."""

from __future__ import annotations

from typing import Any

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, IntegrityError, Row
from fotfeste.errors import Conflict, NotFound
from fotfeste.ids import new_id
from fotfeste.staff.logic import new_referral_code


# --- clinics -------------------------------------------------------------------------------------
async def create_clinic(db: Database, clock: Clock, name: str) -> str:
    clinic_id = new_id()
    now = isoformat_utc(clock.now())
    insert = "INSERT INTO clinics (id, name, created_at) VALUES (?, ?, ?)"
    try:
        await db.write(lambda conn: conn.execute(insert, (clinic_id, name, now)))
    except IntegrityError:
        raise Conflict(f"A clinic named {name!r} already exists") from None
    return clinic_id


async def find_clinic(db: Database, name_or_id: str) -> Row | None:
    return await db.fetchone(
        "SELECT id, name FROM clinics WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
        (name_or_id, name_or_id, name_or_id),
    )


# --- audit ---------------------------------------------------------------------------------------
def audit(
    conn: Conn,
    clinic_id: str,
    staff_id: str | None,
    email: str,
    action: str,
    subject: str,
    at: str,
) -> None:
    conn.execute(
        "INSERT INTO staff_audit (id, clinic_id, staff_id, staff_email, action, subject, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (new_id(), clinic_id, staff_id, email, action, subject, at),
    )


async def audit_log(db: Database, clinic_id: str, limit: int = 200) -> list[Row]:
    return await db.fetchall(
        "SELECT staff_email, action, subject, at FROM staff_audit WHERE clinic_id = ?"
        " ORDER BY at DESC, rowid DESC LIMIT ?",
        (clinic_id, limit),
    )


# --- referral codes ------------------------------------------------------------------------------
CODE_FIELDS = (
    "programme",
    "locale",
    "contact_phone",
    "contact_hours",
    "contact_address",
    "home_area",
    "home_lat",
    "home_lon",
)

_INSERT_CODE = (
    "INSERT INTO referral_codes (code, clinic_id, created_by, created_at, "  # noqa: S608 - fixed
    f"{', '.join(CODE_FIELDS)}) VALUES (?, ?, ?, ?, {', '.join('?' for _ in CODE_FIELDS)})"
)


async def create_code(
    db: Database, clock: Clock, clinic_id: str, staff_id: str, email: str, fields: dict[str, Any]
) -> str:
    now = isoformat_utc(clock.now())

    def create(conn: Conn) -> str:
        for _ in range(20):  # 1.4 million codes: a clash is rare, and retried
            code = new_referral_code()
            if (
                conn.execute("SELECT 1 FROM referral_codes WHERE code = ?", (code,)).fetchone()
                is None
            ):
                break
        else:
            raise Conflict("Could not find a free code; please try again")
        conn.execute(
            _INSERT_CODE, (code, clinic_id, staff_id, now, *(fields[n] for n in CODE_FIELDS))
        )
        audit(
            conn, clinic_id, staff_id, email, "code.created", f"{code} {fields['programme']}", now
        )
        return code

    return await db.write(create)


_CODE_COLUMNS = "code, " + ", ".join(CODE_FIELDS) + ", activations, created_at, revoked_at"


async def codes(db: Database, clinic_id: str) -> list[Row]:
    return await db.fetchall(
        f"SELECT {_CODE_COLUMNS} FROM referral_codes WHERE clinic_id = ?"  # noqa: S608 - fixed names
        " ORDER BY created_at DESC, rowid DESC",
        (clinic_id,),
    )


async def code(db: Database, clinic_id: str, code: str) -> Row:
    row = await db.fetchone(
        f"SELECT {_CODE_COLUMNS} FROM referral_codes WHERE clinic_id = ? AND code = ?",  # noqa: S608
        (clinic_id, code),
    )
    if row is None:
        raise NotFound("No such code at this clinic")
    return row


async def revoke_code(
    db: Database, clock: Clock, clinic_id: str, staff_id: str, email: str, code: str
) -> None:
    now = isoformat_utc(clock.now())

    def revoke(conn: Conn) -> None:
        cursor = conn.execute(
            "UPDATE referral_codes SET revoked_at = ?"
            " WHERE clinic_id = ? AND code = ? AND revoked_at IS NULL",
            (now, clinic_id, code),
        )
        if cursor.rowcount == 1:
            audit(conn, clinic_id, staff_id, email, "code.revoked", code, now)

    await db.write(revoke)


async def outcome_release(db: Database, clinic_id: str, period: str) -> bytes | None:
    """The clinic's stored outcome release for a period (JSON), if it has been made."""
    value = await db.fetchval(
        "SELECT report FROM staff_outcome_releases WHERE clinic_id = ? AND period = ?",
        (clinic_id, period),
    )
    return None if value is None else bytes(value)


async def keep_outcome_release(
    db: Database,
    clinic_id: str,
    period: str,
    epsilon: float,
    made_at: str,
    report: bytes,
    *,
    replace: bool = False,
) -> bytes:
    """Store a release unless one is stored already (or `replace`); returns the one stored."""
    conflict = (
        "DO UPDATE SET epsilon = excluded.epsilon, made_at = excluded.made_at,"
        " report = excluded.report"
        if replace
        else "DO NOTHING"
    )
    sql = (
        "INSERT INTO staff_outcome_releases (clinic_id, period, epsilon, made_at, report)"  # noqa: S608 - fixed text
        f" VALUES (?, ?, ?, ?, ?) ON CONFLICT (clinic_id, period) {conflict}"
    )

    def keep(conn: Conn) -> bytes:
        conn.execute(sql, (clinic_id, period, epsilon, made_at, report))
        stored = conn.execute(
            "SELECT report FROM staff_outcome_releases WHERE clinic_id = ? AND period = ?",
            (clinic_id, period),
        ).fetchone()
        return bytes(stored["report"])

    return await db.write(keep)


async def programme_counts(db: Database, clinic_id: str) -> list[Row]:
    """Codes issued and activations (ever) per programme: counts of codes, not of rows of people."""
    return await db.fetchall(
        "SELECT programme, count(*) AS codes, sum(activations) AS activations"
        " FROM referral_codes WHERE clinic_id = ? GROUP BY programme",
        (clinic_id,),
    )


# --- the person's side ---------------------------------------------------------------------------
async def public_code(db: Database, code: str) -> Row | None:
    """A code that may still be accepted, with its clinic's name."""
    return await db.fetchone(
        "SELECT r.code, r.programme, r.locale, r.contact_phone, r.contact_hours,"
        " r.contact_address, r.home_area, r.home_lat, r.home_lon, c.name AS clinic_name"
        " FROM referral_codes r JOIN clinics c ON c.id = r.clinic_id"
        " WHERE r.code = ? AND r.revoked_at IS NULL",
        (code,),
    )


async def answer(db: Database, account_id: str, code: str, *, accept: bool, now: str) -> None:
    """Record the person's answer; accepting links the account (replacing any other link).

    The first acceptance of a code by an account counts as its activation; linking again after
    leaving, declining or another code does not count again.
    """

    def record(conn: Conn) -> None:
        row = conn.execute(
            "SELECT counted FROM clinic_code_answers WHERE account_id = ? AND code = ?",
            (account_id, code),
        ).fetchone()
        first_acceptance = accept and not (row is not None and row["counted"])
        conn.execute(
            "INSERT INTO clinic_code_answers (account_id, code, accepted, answered_at, counted)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, code) DO UPDATE SET"
            " accepted = excluded.accepted, answered_at = excluded.answered_at,"
            " counted = max(clinic_code_answers.counted, excluded.counted)",
            (account_id, code, int(accept), now, int(accept)),
        )
        if accept:
            _link(conn, account_id, code, now)
        if first_acceptance:
            conn.execute(
                "UPDATE referral_codes SET activations = activations + 1 WHERE code = ?", (code,)
            )

    await db.write(record)


async def answered(db: Database, account_id: str, code: str) -> bool:
    row = await db.fetchone(
        "SELECT 1 FROM clinic_code_answers WHERE account_id = ? AND code = ?", (account_id, code)
    )
    return row is not None


def _link(conn: Conn, account_id: str, code: str, now: str) -> None:
    """Link the account to the code's clinic (linked_at stays when it already is)."""
    current = conn.execute(
        "SELECT code FROM clinic_links WHERE account_id = ?", (account_id,)
    ).fetchone()
    if current is not None and current["code"] == code:
        return
    conn.execute(
        "INSERT INTO clinic_links (account_id, code, linked_at) VALUES (?, ?, ?)"
        " ON CONFLICT (account_id) DO UPDATE SET code = excluded.code,"
        " linked_at = excluded.linked_at",
        (account_id, code, now),
    )


async def unlink(db: Database, account_id: str) -> None:
    await db.write(
        lambda conn: conn.execute("DELETE FROM clinic_links WHERE account_id = ?", (account_id,))
    )


async def link_of(db: Database, account_id: str) -> Row | None:
    return await db.fetchone(
        "SELECT l.linked_at, r.code, r.programme, r.contact_phone, r.contact_hours,"
        " r.contact_address, r.home_area, r.home_lat, r.home_lon, c.name AS clinic_name"
        " FROM clinic_links l JOIN referral_codes r ON r.code = l.code"
        " JOIN clinics c ON c.id = r.clinic_id WHERE l.account_id = ?",
        (account_id,),
    )


async def linked_accounts(db: Database, clinic_id: str) -> list[Row]:
    """The accounts that accepted one of the clinic's codes, for aggregates only (never shown)."""
    return await db.fetchall(
        "SELECT l.account_id, l.linked_at, r.programme FROM clinic_links l"
        " JOIN referral_codes r ON r.code = l.code WHERE r.clinic_id = ?",
        (clinic_id,),
    )
