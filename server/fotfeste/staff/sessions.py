"""Staff passwords (argon2id), logins with lockout, and server-side sessions with a CSRF token."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Database
from fotfeste.ids import new_token, token_digest
from fotfeste.kdf import Argon2id, KdfPool
from fotfeste.staff import logic, user_store
from fotfeste.staff.unknown import UnknownAddresses as UnknownAddresses  # app.py imports it here

# OWASP's first argon2id profile (46 MiB, t=1, p=1): staff passwords are chosen by people, so they
# get more memory than the 80-bit recovery secrets. p=1 because the server has few cores to share.
# Its own pool: one thread (46 MiB each) and a short queue; staff log in a few at a time, so a
# full queue is a flood, and answers 503 rather than holding up anyone else's work.
_hasher = Argon2id(time_cost=1, memory_cost=47104, pool=KdfPool("staff", workers=1, queue=16))
# Verified against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash_now(secrets.token_urlsafe(16))
hash_password = _hasher.hash
verify_password = _hasher.verify


class LoginRefused(Exception):
    """Wrong e-mail or password, or locked out: `key` names the message to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class StaffSession:
    token_hash: str
    csrf: str
    staff_id: str
    email: str
    locale: str
    must_change_password: bool
    clinic_id: str
    clinic_name: str


async def login(
    db: Database,
    clock: Clock,
    unknown: UnknownAddresses,
    email: str,
    password: str,
    *,
    page_locale: str | None = None,
) -> str:
    """Check the password and open a session; the session token (for the cookie) is returned.

    Until the staff member picks a portal language, it follows the login page's (`page_locale`:
    its ?lang= or the browser's); a language once picked is kept.
    """
    now = clock.now()
    email = email.strip().lower()
    user = await user_store.user_by_email(db, email)
    if user is None:
        # The same work and the same answers as for a real user: nothing tells them apart.
        if await unknown.locked(db, email, now):
            raise LoginRefused("login.locked")
        await verify_password(_DUMMY_HASH, password)
        raise LoginRefused("login.locked" if await unknown.fail(db, email, now) else "login.wrong")
    if user["locked_until"] and user["locked_until"] > isoformat_utc(now):
        raise LoginRefused("login.locked")
    if not await verify_password(user["password_hash"], password):
        locked = await user_store.record_login_failure(db, user["id"], now)
        raise LoginRefused("login.locked" if locked else "login.wrong")
    if page_locale is not None and not user["locale_chosen"] and page_locale != user["locale"]:
        await user_store.set_locale(db, user["id"], page_locale, chosen=False)
    token = new_token()
    await user_store.open_session(
        db,
        user["id"],
        token_digest(token),
        secrets.token_urlsafe(32),
        isoformat_utc(now),
        isoformat_utc(logic.session_expiry(now, now)),
    )
    return token


async def current_session(db: Database, clock: Clock, token: str) -> StaffSession | None:
    """The live session behind a cookie, its idle expiry pushed forward; None when expired."""
    now = clock.now()
    row = await user_store.session_row(db, token_digest(token), isoformat_utc(now))
    if row is None:
        return None
    # Extend at most once a minute: a write per page view buys nothing.
    if (now - datetime.fromisoformat(row["last_seen_at"])).total_seconds() >= 60:
        expires = logic.session_expiry(datetime.fromisoformat(row["created_at"]), now)
        await user_store.touch_session(
            db, row["token_hash"], isoformat_utc(now), isoformat_utc(expires)
        )
    return StaffSession(
        token_hash=row["token_hash"],
        csrf=row["csrf_token"],
        staff_id=row["staff_id"],
        email=row["email"],
        locale=row["locale"],
        must_change_password=bool(row["must_change_password"]),
        clinic_id=row["clinic_id"],
        clinic_name=row["clinic_name"],
    )


def same_token(expected: str, sent: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected.encode(), sent.encode())
