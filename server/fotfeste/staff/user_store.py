"""SQL for staff users: their accounts, passwords, failed log-ins and lock-outs, locale, and
their sessions. (store.py has the clinics' own data: codes, links, releases, the audit log.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database, IntegrityError, Row, lock_key
from fotfeste.errors import Conflict, NotFound
from fotfeste.ids import new_id
from fotfeste.staff.logic import after_failed_login
from fotfeste.staff.store import audit


# --- users ---------------------------------------------------------------------------------------
async def create_user(
    db: Database, clock: Clock, clinic_id: str, email: str, password_hash: str
) -> str:
    staff_id = new_id()
    now = isoformat_utc(clock.now())

    def create(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO staff_users (id, clinic_id, email, password_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (staff_id, clinic_id, email, password_hash, now),
        )
        audit(conn, clinic_id, staff_id, email, "user.created", email, now)

    try:
        await db.write(create)
    except IntegrityError:
        raise Conflict(f"A staff user with the e-mail {email!r} already exists") from None
    return staff_id


async def user_by_email(db: Database, email: str) -> Row | None:
    return await db.fetchone(
        "SELECT u.id, u.clinic_id, u.email, u.password_hash, u.failed_logins, u.locked_until,"
        " u.must_change_password, u.locale, u.locale_chosen FROM staff_users u WHERE u.email = ?",
        (email,),
    )


async def password_hash(db: Database, staff_id: str) -> str:
    value = await db.fetchval("SELECT password_hash FROM staff_users WHERE id = ?", (staff_id,))
    if value is None:
        raise NotFound("No such staff user")
    return str(value)


async def set_password(
    db: Database, clock: Clock, staff_id: str, hashed: str, *, must_change: bool
) -> None:
    """A new password: every session of the user ends (the caller opens a new one if it wants)."""
    now = isoformat_utc(clock.now())

    def change(conn: Conn) -> None:
        row = _user(conn, staff_id)
        conn.execute(
            "UPDATE staff_users SET password_hash = ?, must_change_password = ?, failed_logins = 0,"
            " locked_until = NULL WHERE id = ?",
            (hashed, int(must_change), staff_id),
        )
        conn.execute("DELETE FROM staff_sessions WHERE staff_id = ?", (staff_id,))
        action = "password.reset" if must_change else "password.changed"
        audit(conn, row["clinic_id"], staff_id, row["email"], action, "", now)

    await db.write(change)


def _user(conn: Conn, staff_id: str) -> Any:
    row = conn.execute("SELECT clinic_id, email FROM staff_users WHERE id = ?", (staff_id,))
    found = row.fetchone()
    if found is None:
        raise NotFound("No such staff user")
    return found


async def record_login_failure(db: Database, staff_id: str, now: datetime) -> bool:
    """Count a failed log-in; True when the user is locked out (by this failure or one before).

    Read and written in one write unit: concurrent guesses, in this process or in several, each
    count (read before the password check, all of them would write the same count + 1).
    """
    at = isoformat_utc(now)

    def unit(conn: Conn) -> bool:
        lock_key(conn, f"staff_login:{staff_id}")  # a guess in another process waits, then reads
        row = conn.execute(
            "SELECT clinic_id, email, failed_logins, locked_until FROM staff_users WHERE id = ?",
            (staff_id,),
        ).fetchone()
        if row is None:
            return False
        if row["locked_until"] is not None and row["locked_until"] > at:
            return True  # a guess that ran beside this one has just locked the user
        failed, locked_until = after_failed_login(row["failed_logins"], now)
        conn.execute(
            "UPDATE staff_users SET failed_logins = ?, locked_until = ? WHERE id = ?",
            (failed, None if locked_until is None else isoformat_utc(locked_until), staff_id),
        )
        if locked_until is None:
            return False
        conn.execute(
            "INSERT INTO staff_audit (id, clinic_id, staff_id, staff_email, action, subject, at)"
            " VALUES (?, ?, ?, ?, 'login.locked', '', ?)",
            (new_id(), row["clinic_id"], staff_id, row["email"], at),
        )
        return True

    return await db.write(unit, long=True)  # alone in its transaction: see db.lock_key


async def set_locale(db: Database, staff_id: str, locale: str, *, chosen: bool) -> None:
    """`chosen`: the staff member picked it (kept from then on); otherwise the login page's."""

    await db.write(
        lambda conn: conn.execute(
            "UPDATE staff_users SET locale = ?, locale_chosen = ? WHERE id = ?",
            (locale, int(chosen), staff_id),
        )
    )


# --- sessions ------------------------------------------------------------------------------------
async def open_session(
    db: Database, staff_id: str, token_hash: str, csrf: str, now: str, expires: str
) -> None:
    def open_(conn: Conn) -> None:
        conn.execute(
            "UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
            (staff_id,),
        )
        # Expired sessions of anyone are cleared here: logins are rare, so this stays cheap.
        conn.execute("DELETE FROM staff_sessions WHERE expires_at <= ?", (now,))
        conn.execute(
            "INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, created_at,"
            " last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash, staff_id, csrf, now, now, expires),
        )
        row = _user(conn, staff_id)
        audit(conn, row["clinic_id"], staff_id, row["email"], "login", "", now)

    await db.write(open_)


async def session_row(db: Database, token_hash: str, now: str) -> Row | None:
    return await db.fetchone(
        "SELECT s.token_hash, s.csrf_token, s.created_at, s.last_seen_at, u.id AS staff_id,"
        " u.email, u.locale, u.must_change_password, c.id AS clinic_id, c.name AS clinic_name"
        " FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_id"
        " JOIN clinics c ON c.id = u.clinic_id WHERE s.token_hash = ? AND s.expires_at > ?",
        (token_hash, now),
    )


async def touch_session(db: Database, token_hash: str, now: str, expires: str) -> None:
    await db.write(
        lambda conn: conn.execute(
            "UPDATE staff_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?",
            (now, expires, token_hash),
        )
    )


async def close_session(db: Database, token_hash: str) -> None:
    await db.write(
        lambda conn: conn.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (token_hash,))
    )
