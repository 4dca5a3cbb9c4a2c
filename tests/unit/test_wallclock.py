"""Each wall-clock rule once: DST gaps and overlaps, weekdays, today in a zone, quiet hours,
distance; and every user of a rule gives the answer the rule gives."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from fotfeste.clock import FixedClock, local_today
from fotfeste.dates import seconds_to_midnight
from fotfeste.meetings.logic import great_circle_km, next_start, occurrence
from fotfeste.meetings.store import FavouriteMeeting, distance_sql, minutes_into_week
from fotfeste.reminders.kinds import Setup, meeting_reminders
from fotfeste.reminders.logic import QuietHours, fires_at, next_daily, quiet_hours
from fotfeste.wallclock import ALL_DAYS, next_midnight, today_in, wall_instant, weekday

STOCKHOLM = "Europe/Stockholm"
NEW_YORK = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# (local date, wall time, zone, the instant meant): both zones' gaps and overlaps in 2026.
WALL_TIMES = [
    # Ordinary days, winter and summer.
    (date(2026, 1, 15), time(20), STOCKHOLM, utc(2026, 1, 15, 19)),
    (date(2026, 7, 1), time(9), STOCKHOLM, utc(2026, 7, 1, 7)),
    (date(2026, 1, 15), time(20), NEW_YORK, utc(2026, 1, 16, 1)),
    # Spring forward: 02:00–03:00 does not exist; 02:30 is read as 03:30 (the jump added).
    (date(2026, 3, 29), time(2, 30), STOCKHOLM, utc(2026, 3, 29, 1, 30)),
    (date(2026, 3, 29), time(2, 0), STOCKHOLM, utc(2026, 3, 29, 1, 0)),
    (date(2026, 3, 29), time(3, 0), STOCKHOLM, utc(2026, 3, 29, 1, 0)),
    (date(2026, 3, 8), time(2, 30), NEW_YORK, utc(2026, 3, 8, 7, 30)),
    (date(2026, 3, 8), time(3, 30), NEW_YORK, utc(2026, 3, 8, 7, 30)),
    # Fall back: 02:00–03:00 (Stockholm), 01:00–02:00 (New York) happen twice; the first.
    (date(2026, 10, 25), time(2, 30), STOCKHOLM, utc(2026, 10, 25, 0, 30)),
    (date(2026, 10, 25), time(3, 0), STOCKHOLM, utc(2026, 10, 25, 2, 0)),
    (date(2026, 11, 1), time(1, 30), NEW_YORK, utc(2026, 11, 1, 5, 30)),
    (date(2026, 11, 1), time(2, 0), NEW_YORK, utc(2026, 11, 1, 7, 0)),
]


@pytest.mark.parametrize(("day", "at", "zone", "instant"), WALL_TIMES)
def test_a_wall_time_is_one_instant(day: date, at: time, zone: str, instant: datetime) -> None:
    assert wall_instant(day, at, zone) == instant
    assert wall_instant(day, at, ZoneInfo(zone)) == instant
    # Meetings use the same rule: the occurrence is that instant, in the meeting's zone.
    # (Compared in UTC: an ambiguous local time never equals an instant of another tzinfo.)
    assert occurrence(day, at, zone).astimezone(UTC) == instant
    assert occurrence(day, at, zone).tzinfo == ZoneInfo(zone)


@pytest.mark.parametrize(("day", "at", "zone", "instant"), WALL_TIMES)
def test_reminders_and_meetings_follow_the_same_rule(
    day: date, at: time, zone: str, instant: datetime
) -> None:
    just_before = instant - timedelta(minutes=1)
    assert next_daily(just_before, at, ALL_DAYS, ZoneInfo(zone)) == instant
    start = next_start(weekday(day), at, zone, just_before)
    assert start.astimezone(UTC) == instant


# Week wrap: Sunday is 0 and Saturday 6, across a month's and a year's end.
WEEKDAYS = [
    (date(2026, 3, 22), 0),
    (date(2026, 3, 16), 1),
    (date(2026, 3, 21), 6),
    (date(2026, 12, 31), 4),
    (date(2027, 1, 2), 6),
    (date(2027, 1, 3), 0),
    (date(2024, 2, 29), 4),
]


@pytest.mark.parametrize(("day", "number"), WEEKDAYS)
def test_weekdays_count_from_sunday(day: date, number: int) -> None:
    assert weekday(day) == number
    assert weekday(day + timedelta(days=1)) == (number + 1) % 7


@pytest.mark.parametrize(
    ("now", "day", "zone", "expected"),
    [
        # Saturday 23:30 in Stockholm: Sunday's meeting at 00:15 is tomorrow, not in a week.
        (utc(2026, 3, 21, 22, 30), 0, STOCKHOLM, "2026-03-22T00:15:00+01:00"),
        # Sunday 00:30: this Sunday's 00:15 has passed, so next Sunday.
        (utc(2026, 3, 21, 23, 30), 0, STOCKHOLM, "2026-03-29T00:15:00+01:00"),
        # Saturday evening in New York is Sunday in UTC: Saturday's meeting is still tonight...
        (utc(2026, 3, 22, 3, 0), 6, NEW_YORK, "2026-03-28T00:15:00-04:00"),
        # ...and Sunday 00:15 there is only an hour and a quarter away.
        (utc(2026, 3, 22, 3, 0), 0, NEW_YORK, "2026-03-22T00:15:00-04:00"),
    ],
)
def test_the_week_wraps_at_the_zones_own_midnight(
    now: datetime, day: int, zone: str, expected: str
) -> None:
    assert next_start(day, "00:15", zone, now).isoformat() == expected


@pytest.mark.parametrize(
    ("now", "minutes"),
    [
        (utc(2026, 3, 22, 0, 0), 0),  # Sunday 00:00 UTC starts the week
        (utc(2026, 3, 21, 23, 59, 30), 6 * 1440 + 24 * 60),  # Saturday's last minute, rounded up
        (utc(2026, 3, 23, 0, 0, 1), 1441),
    ],
)
def test_minutes_into_the_week_count_from_sunday(now: datetime, minutes: int) -> None:
    assert minutes_into_week(now) == minutes


# (instant, zone, that zone's date): near midnight on both sides, and across clock changes.
TODAYS = [
    (utc(2026, 3, 16, 22, 59), STOCKHOLM, date(2026, 3, 16)),
    (utc(2026, 3, 16, 23, 0), STOCKHOLM, date(2026, 3, 17)),
    (utc(2026, 6, 16, 21, 59), STOCKHOLM, date(2026, 6, 16)),
    (utc(2026, 6, 16, 22, 0), STOCKHOLM, date(2026, 6, 17)),
    (utc(2026, 3, 17, 3, 59), NEW_YORK, date(2026, 3, 16)),
    (utc(2026, 3, 17, 4, 0), NEW_YORK, date(2026, 3, 17)),
    (utc(2026, 3, 29, 0, 59), STOCKHOLM, date(2026, 3, 29)),  # the night of the jump
    (utc(2026, 10, 25, 22, 59), STOCKHOLM, date(2026, 10, 25)),
    (utc(2026, 10, 25, 23, 0), STOCKHOLM, date(2026, 10, 26)),
    (utc(2026, 3, 16, 10, 0), "Pacific/Kiritimati", date(2026, 3, 17)),  # UTC+14
    (utc(2026, 3, 16, 10, 0), "Pacific/Pago_Pago", date(2026, 3, 15)),  # UTC-11
]


@pytest.mark.parametrize(("instant", "zone", "expected"), TODAYS)
def test_today_in_a_zone(instant: datetime, zone: str, expected: date) -> None:
    assert today_in(instant, zone) == expected
    assert local_today(FixedClock(instant), zone) == expected


@pytest.mark.parametrize(
    ("now", "zone", "midnight", "seconds"),
    [
        (utc(2026, 3, 16, 22, 0), STOCKHOLM, utc(2026, 3, 16, 23), 3600),
        # The spring day is 23 hours long, the autumn day 25: real seconds, not wall ones.
        (utc(2026, 3, 28, 23, 0), STOCKHOLM, utc(2026, 3, 29, 22), 23 * 3600),
        (utc(2026, 10, 24, 22, 0), STOCKHOLM, utc(2026, 10, 25, 23), 25 * 3600),
        (utc(2026, 3, 8, 5, 0), NEW_YORK, utc(2026, 3, 9, 4), 23 * 3600),
        (utc(2026, 3, 16, 22, 59, 59, 500000), STOCKHOLM, utc(2026, 3, 16, 23), 1),
    ],
)
def test_next_midnight(now: datetime, zone: str, midnight: datetime, seconds: int) -> None:
    assert next_midnight(now, zone) == midnight
    assert seconds_to_midnight(now, zone) == seconds


NIGHT = QuietHours(time(22), time(7))
LATE = QuietHours(time(23), time(2, 30))
# (wanted, zone, quiet hours, can wait, fires): the one rule of when a notification goes out.
FIRINGS = [
    (utc(2026, 3, 17, 12), STOCKHOLM, NIGHT, True, utc(2026, 3, 17, 12)),
    (utc(2026, 3, 17, 12), STOCKHOLM, None, True, utc(2026, 3, 17, 12)),
    (utc(2026, 3, 17, 5), STOCKHOLM, NIGHT, True, utc(2026, 3, 17, 6)),  # 06:00 -> 07:00
    (utc(2026, 3, 17, 22), STOCKHOLM, NIGHT, True, utc(2026, 3, 18, 6)),  # 23:00 -> 07:00
    (utc(2026, 3, 17, 20, 59), STOCKHOLM, NIGHT, True, utc(2026, 3, 17, 20, 59)),  # 21:59
    (utc(2026, 3, 17, 21, 0), STOCKHOLM, NIGHT, True, utc(2026, 3, 18, 6)),  # 22:00 is quiet
    (utc(2026, 3, 17, 6, 0), STOCKHOLM, NIGHT, True, utc(2026, 3, 17, 6)),  # 07:00 is not
    (utc(2026, 3, 17, 5), STOCKHOLM, NIGHT, False, None),  # cannot wait: not sent
    (utc(2026, 3, 17, 12), STOCKHOLM, NIGHT, False, utc(2026, 3, 17, 12)),
    # Quiet hours end at 02:30, which the spring night skips: they end with the jump's 03:30.
    (
        utc(2026, 3, 28, 23),
        STOCKHOLM,
        QuietHours(time(23), time(2, 30)),
        True,
        utc(2026, 3, 29, 1, 30),
    ),
    # The autumn night's 07:00 is after the overlap: an ordinary winter 07:00.
    (utc(2026, 10, 24, 23), STOCKHOLM, NIGHT, True, utc(2026, 10, 25, 6)),
    (utc(2026, 11, 1, 4), NEW_YORK, NIGHT, True, utc(2026, 11, 1, 12)),
    # Zone boundaries: the same instant is quiet in one zone and not in another.
    (utc(2026, 3, 17, 2), NEW_YORK, NIGHT, True, utc(2026, 3, 17, 11)),  # 22:00 EDT: quiet
    (utc(2026, 3, 17, 1, 59), NEW_YORK, NIGHT, True, utc(2026, 3, 17, 1, 59)),
    (utc(2026, 3, 17, 2), "Asia/Tokyo", NIGHT, True, utc(2026, 3, 17, 2)),  # 11:00 there
]


@pytest.mark.parametrize(("wanted", "zone", "quiet", "can_wait", "fires"), FIRINGS)
def test_when_a_notification_fires(
    wanted: datetime, zone: str, quiet: QuietHours | None, can_wait: bool, fires: datetime | None
) -> None:
    assert fires_at(wanted, ZoneInfo(zone), quiet, can_wait=can_wait) == fires


def test_quiet_hours_as_stored() -> None:
    assert quiet_hours("22:00", "07:00") == NIGHT
    assert quiet_hours(None, None) is None
    assert quiet_hours("22:00", None) is None


def _setup(zone: str, minutes_before: int, quiet: QuietHours | None = None) -> Setup:
    return Setup("a", "sv", ZoneInfo(zone), False, time(0), ALL_DAYS, minutes_before, quiet)


@pytest.mark.parametrize(
    ("meeting", "after", "minutes_before", "quiet", "expected"),
    [
        # Sunday 29 March 03:30 CEST (01:30 UTC) in Stockholm, the night of the jump: an hour
        # before it is 00:30 UTC, a real hour, though the wall clock skips 02:00–03:00.
        (FavouriteMeeting("m", "Natt", 0, "03:30", STOCKHOLM), utc(2026, 3, 28, 12), 60, None,
         utc(2026, 3, 29, 0, 30)),
        (FavouriteMeeting("m", "Kväll", 1, "19:00", STOCKHOLM), utc(2026, 3, 16, 12), 30, None,
         utc(2026, 3, 16, 17, 30)),
        # In quiet hours (the person's zone, not the meeting's): that week's is skipped.
        (FavouriteMeeting("m", "Morgon", 1, "07:30", STOCKHOLM), utc(2026, 3, 16, 0), 60, NIGHT,
         None),
        (FavouriteMeeting("m", "Morgon", 1, "08:30", STOCKHOLM), utc(2026, 3, 16, 0), 60, NIGHT,
         utc(2026, 3, 16, 6, 30)),
    ],
)  # fmt: skip
def test_a_meeting_reminder_comes_real_minutes_before(
    meeting: FavouriteMeeting,
    after: datetime,
    minutes_before: int,
    quiet: QuietHours | None,
    expected: datetime | None,
) -> None:
    found = meeting_reminders([meeting], _setup(STOCKHOLM, minutes_before, quiet), after)
    assert [at for at, _ in found] == ([] if expected is None else [expected])


POINTS = [
    ((59.3293, 18.0686), (59.3293, 18.0686)),  # the same point
    ((59.3293, 18.0686), (59.9139, 10.7522)),  # Stockholm–Oslo
    ((55.6761, 12.5683), (55.6050, 13.0038)),  # across the Öresund
    ((64.15, -21.94), (69.65, 18.96)),  # Reykjavík–Tromsø
    ((-16.5, 179.9), (-16.5, -179.9)),  # across the antimeridian
    ((89.9, 0.0), (89.9, 180.0)),  # over the pole
    ((0.0, 0.0), (0.0, 180.0)),  # half the Earth
]


@pytest.mark.parametrize(("a", "b"), POINTS)
def test_sql_and_python_measure_one_distance(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    conn = sqlite3.connect(":memory:")
    try:
        measured = conn.execute(
            f"SELECT {distance_sql('m.lat', 'm.lon')} FROM (SELECT :blat AS lat, :blon AS lon) m",
            {"lat": a[0], "lon": a[1], "blat": b[0], "blon": b[1]},
        ).fetchone()[0]
    except sqlite3.OperationalError as exc:  # pragma: no cover - SQLite without math
        pytest.skip(f"this SQLite has no math functions ({exc})")
    finally:
        conn.close()
    assert measured == pytest.approx(great_circle_km(*a, *b), abs=1e-9)
