"""Lenient readers for the values that feeds in the wild send (numbers as strings, blanks, junk)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


def text(value: Any, limit: int = 2000) -> str | None:
    """A trimmed string, or None for blanks and non-text values; numbers become text."""
    if type(value) is str:  # the common case first: this runs a dozen times a record
        cleaned = value.strip()
        return cleaned[:limit] if cleaned else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if isinstance(value, list):
        # Some feeds send notes as a list of lines.
        value = "\n".join(str(v) for v in value if isinstance(v, str | int | float))
    if not isinstance(value, str):
        return None
    cleaned = value.strip()
    return cleaned[:limit] if cleaned else None


def number(value: Any) -> float | None:
    """A finite float from a number or a numeric string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            result = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return result if result == result and abs(result) != float("inf") else None


def integer(value: Any) -> int | None:
    """A whole number from an int or a string of digits ("3", " 3 "); 3.0 counts too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    as_float = number(value)
    if as_float is None or not as_float.is_integer():
        return None
    return int(as_float)


def truthy(value: Any) -> bool:
    """Feeds write flags as true, 1, "1", "yes" or "true"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return isinstance(value, str) and value.strip().lower() in {"1", "yes", "true", "y"}


def coordinates(lat: Any, lon: Any) -> tuple[float, float] | None:
    """A valid (lat, lon) pair; (0, 0) is what sloppy feeds send for "unknown"."""
    la, lo = number(lat), number(lon)
    if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180):
        return None
    if la == 0 and lo == 0:
        return None
    return la, lo


def join_address(*parts: Any) -> str | None:
    pieces = [p for p in (plain_text(part, 200) for part in parts) if p]
    return ", ".join(pieces) if pieces else None


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# C0 controls (TAB, CR, LF among them), DEL and C1: never part of a link or a phone number.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Several links in one field, separated by commas, semicolons or white space.
_LINK_SPLIT = re.compile(r"[\s,;]+(?=https?://)", re.IGNORECASE)


def plain_text(value: Any, limit: int = 2000) -> str | None:
    """Text for people to read: HTML entities decoded ("&amp;" is "&"), <br> as a line break."""
    raw = text(value, limit * 2)
    if raw is None:
        return None
    if "&" in raw or "<" in raw:
        raw = _BR.sub("\n", html.unescape(raw))
    cleaned = raw.strip()
    return cleaned[:limit] if cleaned else None


def has_control_characters(value: str) -> bool:
    return _CONTROL.search(value) is not None


@dataclass(frozen=True, slots=True)
class Link:
    """A meeting link as read: the one kept (or None) and what was done to get it."""

    url: str | None
    # None: taken as given; "chosen": first valid https link of several; "refused": the only
    # link(s) given could not be used (not https, control characters, not a URL).
    change: str | None = None


def _https(candidate: str) -> bool:
    if len(candidate) > 1000 or has_control_characters(candidate) or " " in candidate:
        return False
    parts = urlsplit(candidate)
    return parts.scheme.lower() == "https" and bool(parts.hostname) and "@" not in parts.netloc


def conference_link(value: Any) -> Link:
    """The first valid https link in a field that may hold several; never a silent drop."""
    raw = value.strip() if isinstance(value, str) else None
    if not raw:
        return Link(None)
    candidates = [c.strip() for c in _LINK_SPLIT.split(raw) if c.strip()]
    for index, candidate in enumerate(candidates):
        if _https(candidate):
            return Link(candidate, "chosen" if len(candidates) > 1 or index else None)
    return Link(None, "refused")


# The shortest Nordic numbers (Iceland's) have seven digits; fewer is no number to dial.
_PHONE_DIGITS = 7


def phone_number(value: Any) -> str | None:
    """A dial-in number; one with control characters is refused (it would break a calendar),
    and so is text with too few digits to dial ("TBA", "n/a", "see notes"): no way in."""
    raw = value.strip() if isinstance(value, str) else text(value, 100)
    if not raw or has_control_characters(raw):
        return None
    if len(_DIGIT.findall(raw)) < _PHONE_DIGITS:
        return None
    return raw[:100]


_DIGIT = re.compile(r"\d")
# A street named without a number is still a place: "Central Avenue", "Götgatan", "Ringvej".
_STREET_WORDS = frozenset(
    {
        "street", "st", "st.", "avenue", "ave", "ave.", "road", "rd", "rd.", "boulevard", "blvd",
        "lane", "ln", "drive", "dr", "way", "place", "pl", "court", "ct", "highway", "hwy",
        "parkway", "pkwy", "square", "terrace", "gate", "gata", "vei", "veg", "vej", "gade",
        "plads", "torv", "torg", "torget", "strasse", "straße", "str.", "weg", "platz", "allee",
    }
)  # fmt: skip
_STREET_ENDINGS = (
    "gatan", "gata", "gaten", "vägen", "veien", "vegen", "gade", "vej", "stræde", "plads", "torv",
    "torget", "straße", "strasse", "weg", "platz", "allee",
)  # fmt: skip


def _names_a_street(part: str) -> bool:
    words = part.lower().replace("/", " ").split()
    if len(words) < 2 and not any(w.endswith(_STREET_ENDINGS) for w in words):
        return False
    return words[-1] in _STREET_WORDS or any(w.endswith(_STREET_ENDINGS) for w in words)


def is_approximate_address(address: str | None) -> bool:
    """True when no part of the address carries a house number, a postal code or a street.

    "San Jose, CA, USA" and "Stockholm, Sweden" name a city; "Götgatan 50, 118 26 Stockholm,
    Sweden", "Karl Johans gate 22, 0159 Oslo", "10117 Berlin" and "123 Main St, Toronto, ON"
    name a place. (TSML UI counts commas instead, which calls most Nordic addresses approximate.)
    """
    if address is None:
        return True
    if _DIGIT.search(address):
        return False
    return not any(_names_a_street(part) for part in address.split(","))
