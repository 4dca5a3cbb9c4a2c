"""Pure follow-up schedules: when a programme's check-ups fall due, and their status on a day."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

import msgspec

from fotfeste.scales.definitions import Catalogue, Offset, Programme, Text
from fotfeste.scales.logic import text_in

Status = Literal["due", "done", "upcoming", "missed"]
# A waiting list can last long; past this many points the schedule stops growing.
MAX_POINTS = 120


class Followup(msgspec.Struct, frozen=True):
    id: str
    key: str
    label: str
    due_date: date
    window_start: date
    window_end: date
    instruments: list[str]
    offered: list[str]
    status: Status
    completed_on: date | None


def plus_days(day: date, days: int) -> date:
    """`day` + `days`, held at the calendar's ends: a start stored in year 1 or 9999 by an older
    server (issue 22) gives a schedule of missed or far-off points, not an OverflowError."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(day: date, months: int) -> date:
    """Calendar months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    if not date.min.year <= year <= date.max.year:
        return date.max if months > 0 else date.min
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def shift(start: date, offset: Offset) -> date:
    return plus_days(add_months(start, offset.months), offset.days + 7 * offset.weeks)


def points(programme: Programme, start: date, today: date) -> list[tuple[str, Text, date]]:
    """(key, label, due date) in order; a repeating programme runs to the first point past today."""
    fixed = [(p.key, p.label, shift(start, p.offset)) for p in programme.points]
    if programme.repeat is None:
        return fixed
    result = list(fixed)
    due = fixed[-1][2]
    while len(result) < MAX_POINTS:
        if due == date.max:
            break
        due = plus_days(due, programme.repeat.every_days)
        weeks = (due - start).days // 7
        label: Text = {k: v.replace("{n}", str(weeks)) for k, v in programme.repeat.label.items()}
        result.append((f"w{weeks}", label, due))
        if due > today:
            break
    return result


def offered_at(
    catalogue: Catalogue, programme: Programme, dues: list[date], role: str
) -> list[list[str]]:
    """Instruments offered at each point: a long form asks about a year, so within a year of the
    last time it was offered, its short form (AUDIT-C, DUDIT-C) is offered instead."""
    last_full: dict[str, date] = {}
    result = []
    for due in dues:
        here = []
        for instrument_id in programme.offered:
            instrument = catalogue.instrument(instrument_id, role)
            if instrument is None:
                continue
            previous = last_full.get(instrument_id)
            recent = previous is not None and (due - previous).days < instrument.recall_days
            if recent and instrument.short_form is not None:
                if catalogue.instrument(instrument.short_form, role) is not None:
                    here.append(instrument.short_form)
                continue
            last_full[instrument_id] = due
            here.append(instrument_id)
        result.append(here)
    return result


def status_on(today: date, window_start: date, window_end: date, completed: date | None) -> Status:
    if completed is not None:
        return "done"
    if today < window_start:
        return "upcoming"
    if today <= window_end:
        return "due"
    return "missed"


def followups(
    catalogue: Catalogue,
    programme: Programme,
    start: date,
    today: date,
    *,
    role: str,
    locale: str,
    answered: Iterable[tuple[str, date]],
) -> list[Followup]:
    """The schedule with statuses: `answered` is (instrument id, local date) of past responses.

    An entry is done when each required instrument was answered within its window. Windows never
    overlap, so one answer counts for one entry.
    """
    answers = sorted(answered, key=lambda pair: pair[1])
    planned = points(programme, start, today)
    offers = offered_at(catalogue, programme, [due for _, _, due in planned], role)
    required = [i for i in programme.required if catalogue.instrument(i, role) is not None]
    entries: list[Followup] = []
    previous_end: date | None = None
    for (key, label, due), offered in zip(planned, offers, strict=True):
        window_start = plus_days(due, -programme.window_before_days)
        if previous_end is not None and window_start <= previous_end:
            window_start = plus_days(previous_end, 1)
        window_end = plus_days(due, programme.window_after_days)
        previous_end = window_end
        firsts = [
            next((d for i, d in answers if i == needed and window_start <= d <= window_end), None)
            for needed in required
        ]
        completed = max(firsts) if firsts and None not in firsts else None  # type: ignore[type-var]
        entries.append(
            Followup(
                id=f"{programme.id}-{key}",
                key=key,
                label=text_in(label, locale) or key,
                due_date=due,
                window_start=window_start,
                window_end=window_end,
                instruments=required,
                offered=offered,
                status=status_on(today, window_start, window_end, completed),
                completed_on=completed,
            )
        )
    return entries
