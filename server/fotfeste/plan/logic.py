"""Pure rules for the plan: cleaning what the person typed, limits, and treatment transitions."""

from __future__ import annotations

import re
from datetime import date

from fotfeste.dates import check_near
from fotfeste.errors import InvalidInput

SECTIONS = ("warning_signs", "high_risk_situations", "coping_actions", "reasons")
MAX_ENTRIES_PER_SECTION = 30
MAX_PEOPLE = 10
MAX_TEXT = 300
MAX_NAME = 60
# E.164 allows 15 digits; short national numbers (a helpline, a sponsor's 8-digit mobile) need few.
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 3, 15
_PHONE_SHAPE = re.compile(r"^\+?[0-9(][0-9 ()./-]*$")
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")


def clean_text(value: str, *, field: str, limit: int = MAX_TEXT) -> str:
    """Trim surrounding space and refuse a line with nothing in it, or with a NUL character
    (PostgreSQL cannot store one: a 500 there, stored on SQLite)."""
    text = value.strip()
    if not text:
        raise InvalidInput(f"{field} cannot be empty", field=field)
    if "\x00" in text:
        raise InvalidInput(f"{field} cannot contain a NUL character", field=field)
    if len(text) > limit:
        raise InvalidInput(f"{field} can be at most {limit} characters", field=field)
    return text


def clean_phone(value: str, *, field: str = "phone") -> str:
    """A number as typed (digits, spaces, + ( ) - . /), trimmed: its shape is checked, no more."""
    phone = value.strip()
    digits = sum(c.isdigit() for c in phone)
    if not _PHONE_SHAPE.match(phone) or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        raise InvalidInput(
            f"{field} must be a phone number: {MIN_PHONE_DIGITS}–{MAX_PHONE_DIGITS} digits, "
            "optionally starting with +",
            field=field,
        )
    return phone


def dial_string(phone: str) -> str:
    """What a tel: link carries: the digits and a leading +, nothing else. After a country
    code, a "(0)" ("+46 (0)70-…", as Swedes often write it) is not dialled."""
    international = phone.strip().startswith("+")
    if international:
        phone = _TRUNK_ZERO.sub("", phone)
    digits = "".join(c for c in phone if c.isdigit())
    return f"+{digits}" if international else digits


def check_unique_ids(ids: list[str], *, field: str) -> None:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise InvalidInput(f"{field}: id {entry_id!r} appears twice", field=field)
        seen.add(entry_id)


def check_since(since: date, today: date) -> date:
    if since > today:
        raise InvalidInput("since cannot be in the future", field="since")
    return check_near(since, today, "since", ahead=0)


def programme_after(previous: str | None, status: str) -> str | None:
    """The follow-up programme a change of treatment status switches to, or None for no change.

    Saying "I'm waiting" starts the waiting-list programme; saying treatment has started or
    ended, after having waited (or for the first time), switches to aftercare. Staying in the
    same status, or saying "none", leaves the programme alone.
    """
    if status == previous:
        return None
    if status == "waiting":
        return "waiting-list"
    if status in ("in_treatment", "after"):
        return "aftercare"
    return None
