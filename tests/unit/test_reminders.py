"""Reminder times: local wall-clock times across DST, days of the week, quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from fotfeste.errors import InvalidInput
from fotfeste.reminders.logic import (
    ALL_DAYS,
    QuietHours,
    decode_days,
    encode_days,
    fires_at,
    is_late,
    next_daily,
    parse_hhmm,
)
from fotfeste.wallclock import wall_instant, weekday

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "at", "days", "zone", "expected"),
    [
        # Winter: 20:00 in Stockholm is 19:00 UTC.
        (utc(2026, 3, 16, 11), time(20), ALL_DAYS, "Europe/Stockholm", utc(2026, 3, 16, 19)),
        # Exactly at the instant: the next day.
        (utc(2026, 3, 16, 19), time(20), ALL_DAYS, "Europe/Stockholm", utc(2026, 3, 17, 19)),
        # Summer: 20:00 is 18:00 UTC.
        (utc(2026, 6, 1, 12), time(20), ALL_DAYS, "Europe/Stockholm", utc(2026, 6, 1, 18)),
        # Spring-forward night: 02:30 does not exist; it fires at 03:30 CEST (01:30 UTC).
        (utc(2026, 3, 28, 12), time(2, 30), ALL_DAYS, "Europe/Stockholm", utc(2026, 3, 29, 1, 30)),
        # The night after: 02:30 CEST is 00:30 UTC.
        (utc(2026, 3, 29, 2), time(2, 30), ALL_DAYS, "Europe/Stockholm", utc(2026, 3, 30, 0, 30)),
        # Fall-back night: 02:30 happens twice; the first (CEST, 00:30 UTC) only.
        (
            utc(2026, 10, 24, 12),
            time(2, 30),
            ALL_DAYS,
            "Europe/Stockholm",
            utc(2026, 10, 25, 0, 30),
        ),
        (
            utc(2026, 10, 25, 0, 30),
            time(2, 30),
            ALL_DAYS,
            "Europe/Stockholm",
            utc(2026, 10, 26, 1, 30),
        ),
        # Only Sundays (0): Monday 16 March -> Sunday 22 March.
        (utc(2026, 3, 16, 11), time(9), frozenset({0}), "Europe/Stockholm", utc(2026, 3, 22, 8)),
        # Another zone: the same wall time is another instant.
        (utc(2026, 3, 16, 11), time(20), ALL_DAYS, "America/New_York", utc(2026, 3, 17, 0)),
        # Late in the UTC day, already tomorrow in Auckland.
        (utc(2026, 3, 16, 23), time(8), ALL_DAYS, "Pacific/Auckland", utc(2026, 3, 17, 19)),
    ],
)
def test_next_daily(
    after: datetime, at: time, days: frozenset[int], zone: str, expected: datetime
) -> None:
    assert next_daily(after, at, days, ZoneInfo(zone)) == expected


def test_no_days_means_never() -> None:
    assert next_daily(utc(2026, 3, 16), time(9), frozenset(), STOCKHOLM) is None


@pytest.mark.parametrize(
    ("start", "end", "wall", "quiet"),
    [
        (time(22), time(7), time(23), True),
        (time(22), time(7), time(6, 59), True),
        (time(22), time(7), time(7), False),
        (time(22), time(7), time(12), False),
        (time(13), time(15), time(14), True),
        (time(13), time(15), time(15), False),
        (time(9), time(9), time(9), False),
    ],
)
def test_quiet_hours_contain(start: time, end: time, wall: time, quiet: bool) -> None:
    assert QuietHours(start, end).contains(wall) is quiet


def test_a_reminder_in_quiet_hours_waits_until_they_end() -> None:
    quiet = QuietHours(time(22), time(7))
    # 23:00 local on 16 March -> 07:00 local on 17 March (06:00 UTC).
    assert next_daily(utc(2026, 3, 16, 11), time(23), ALL_DAYS, STOCKHOLM, quiet) == utc(
        2026, 3, 17, 6
    )
    # 06:00 local -> 07:00 the same morning.
    assert fires_at(utc(2026, 3, 17, 5), STOCKHOLM, quiet) == utc(2026, 3, 17, 6)
    assert fires_at(utc(2026, 3, 17, 12), STOCKHOLM, quiet) == utc(2026, 3, 17, 12)
    assert fires_at(utc(2026, 3, 17, 12), STOCKHOLM, None) == utc(2026, 3, 17, 12)


def test_weekdays_follow_meeting_guide() -> None:
    assert weekday(datetime(2026, 3, 22).date()) == 0  # Sunday
    assert weekday(datetime(2026, 3, 16).date()) == 1  # Monday
    assert weekday(datetime(2026, 3, 21).date()) == 6  # Saturday
    assert decode_days(encode_days([5, 1, 1, 3])) == frozenset({1, 3, 5})


def test_local_instant_and_lateness() -> None:
    assert wall_instant(datetime(2026, 7, 1).date(), time(9), STOCKHOLM) == utc(2026, 7, 1, 7)
    assert not is_late(utc(2026, 1, 1, 9), utc(2026, 1, 1, 9, 30), timedelta(hours=1))
    assert is_late(utc(2026, 1, 1, 9), utc(2026, 1, 1, 11), timedelta(hours=1))


@pytest.mark.parametrize("text", ["7:30", "24:00", "12:60", "noon", "", "12:3"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_hhmm(text, "time")


def test_every_kind_opens_a_screen_the_app_has() -> None:
    """A tap on a notification opens its url: it must be a route in pwa/app.js."""
    import re
    from pathlib import Path

    from fotfeste.reminders.kinds import KINDS

    app_js = (Path(__file__).resolve().parents[2] / "pwa" / "app.js").read_text(encoding="utf-8")
    routes_block = app_js.split("const ROUTES = {", 1)[1].split("\n};", 1)[0]
    routes = set(re.findall(r"^\s+([a-z]+):", routes_block, flags=re.M))
    for kind in KINDS.values():
        assert kind.url.startswith("/#/"), kind.name
        assert kind.url.removeprefix("/#/").split("/")[0] in routes, (kind.name, kind.url)
