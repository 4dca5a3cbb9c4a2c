"""Pure rules: money not spent, and patterns in the person's own check-ins.

Money: what the person used to spend per day (a week is 7 days, a month 365/12), times the
drug-free days since the start (api.md's `drug_free_days_total`); a day with use simply adds
nothing. Patterns: from check-ins only, once the first is four weeks old; the weeks compared are
Monday to Sunday, and a week counts when it has at least one check-in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from fotfeste.motivation.models import (
    Insights,
    MeetingWeeks,
    TimeOfDayCraving,
    WeekdayCraving,
    WeekMood,
)
from fotfeste.wallclock import weekday

DAYS_PER = {"day": Decimal(1), "week": Decimal(7), "month": Decimal(365) / Decimal(12)}
CURRENCY_BY_COUNTRY = {"SE": "SEK", "NO": "NOK", "DK": "DKK"}
ENOUGH = timedelta(weeks=4)
LOOK_BACK = timedelta(weeks=26)
# Parts of the day by the local hour the check-in was made.
PARTS = (("night", 0, 6), ("morning", 6, 12), ("afternoon", 12, 18), ("evening", 18, 24))
Part = Literal["morning", "afternoon", "evening", "night"]
_PART_ORDER: tuple[Part, ...] = ("morning", "afternoon", "evening", "night")
Finding = Literal["fewer_use_days_with_meetings", "more_use_days_with_meetings", "same"]


def default_currency(country: str | None) -> str:
    return CURRENCY_BY_COUNTRY.get(country or "", "EUR")


def to_minor(amount: float) -> int:
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money_saved(amount_minor: int, per: str, drug_free_days: int) -> float:
    """What the drug-free days did not cost, to the cent (half up)."""
    per_day = Decimal(amount_minor) / DAYS_PER[per]
    saved = (per_day * drug_free_days).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(saved / 100)


@dataclass(frozen=True)
class CheckinFact:
    day: date
    used: bool
    craving: int | None
    mood: int | None
    created_at: datetime


def _average(values: Sequence[int | float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def insights(
    checkins: Sequence[CheckinFact],
    meeting_days: Iterable[date],
    *,
    today: date,
    timezone: str,
    first_checkin: date | None,
) -> Insights:
    since = today - LOOK_BACK
    enough = first_checkin is not None and today - first_checkin >= ENOUGH
    empty = MeetingWeeks(weeks=0, days_with_use_per_week=None, average_craving=None)
    if not enough:
        return Insights(
            enough_data=False,
            first_checkin=None if first_checkin is None else first_checkin.isoformat(),
            since=since.isoformat(),
            craving_by_weekday=[],
            craving_by_time_of_day=[],
            mood_by_week=[],
            weeks_with_meeting=empty,
            weeks_without_meeting=empty,
            finding=None,
        )
    zone = ZoneInfo(timezone)
    by_weekday: dict[int, list[int]] = defaultdict(list)
    by_part: dict[str, list[int]] = defaultdict(list)
    moods: dict[date, list[int]] = defaultdict(list)
    weeks: dict[date, list[CheckinFact]] = defaultdict(list)
    for fact in checkins:
        if not since <= fact.day <= today:
            continue
        weeks[_week_start(fact.day)].append(fact)
        if fact.mood is not None:
            moods[_week_start(fact.day)].append(fact.mood)
        if fact.craving is None:
            continue
        by_weekday[weekday(fact.day)].append(fact.craving)
        local = fact.created_at.astimezone(zone)
        # Only a check-in made on its own day says when in the day the craving was felt.
        if local.date() == fact.day:
            part = next(name for name, start, end in PARTS if start <= local.hour < end)
            by_part[part].append(fact.craving)
    met = {_week_start(d) for d in meeting_days}
    with_meeting = [w for w in weeks if w in met]
    without = [w for w in weeks if w not in met]
    summary_with = _meeting_weeks(with_meeting, weeks)
    summary_without = _meeting_weeks(without, weeks)
    return Insights(
        enough_data=True,
        first_checkin=None if first_checkin is None else first_checkin.isoformat(),
        since=since.isoformat(),
        craving_by_weekday=[
            WeekdayCraving(weekday=d, average=_average(by_weekday[d]), checkins=len(by_weekday[d]))
            for d in range(7)
        ],
        craving_by_time_of_day=[
            TimeOfDayCraving(
                part=part, average=_average(by_part[part]), checkins=len(by_part[part])
            )
            for part in _PART_ORDER
        ],
        mood_by_week=[
            WeekMood(
                week_start=week.isoformat(),
                average=_average(moods[week]),
                checkins=len(moods[week]),
            )
            for week in sorted(weeks)
        ],
        weeks_with_meeting=summary_with,
        weeks_without_meeting=summary_without,
        finding=_finding(summary_with, summary_without),
    )


def _meeting_weeks(chosen: list[date], weeks: dict[date, list[CheckinFact]]) -> MeetingWeeks:
    if not chosen:
        return MeetingWeeks(weeks=0, days_with_use_per_week=None, average_craving=None)
    used = [sum(1 for f in weeks[w] if f.used) for w in chosen]
    cravings = [f.craving for w in chosen for f in weeks[w] if f.craving is not None]
    return MeetingWeeks(
        weeks=len(chosen),
        days_with_use_per_week=_average(used),
        average_craving=_average(cravings),
    )


def _finding(with_meeting: MeetingWeeks, without: MeetingWeeks) -> Finding | None:
    a, b = with_meeting.days_with_use_per_week, without.days_with_use_per_week
    if a is None or b is None:
        return None
    if a < b:
        return "fewer_use_days_with_meetings"
    if a > b:
        return "more_use_days_with_meetings"
    return "same"
