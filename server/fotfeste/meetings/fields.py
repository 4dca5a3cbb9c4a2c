"""Lenient readers for the values that feeds in the wild send (numbers as strings, blanks, junk)."""

from __future__ import annotations

from typing import Any


def text(value: Any, limit: int = 2000) -> str | None:
    """A trimmed string, or None for blanks and non-text values; numbers become text."""
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


def web_link(value: Any) -> str | None:
    """Only http(s) links are kept: a feed must not put javascript: or file: links in the app."""
    link = text(value, limit=1000)
    if link is None or not link.lower().startswith(("https://", "http://")) or " " in link:
        return None
    return link


def join_address(*parts: Any) -> str | None:
    pieces = [p for p in (text(part, 200) for part in parts) if p]
    return ", ".join(pieces) if pieces else None
