"""Programmes and follow-ups as other domains use them: enrol, list follow-ups, checkup outcomes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import msgspec

from fotfeste.accounts.service import profile_row
from fotfeste.clock import Clock, local_today
from fotfeste.db import Database
from fotfeste.errors import InvalidInput
from fotfeste.scales import store
from fotfeste.scales.definitions import Catalogue, catalogue
from fotfeste.scales.schedule import Followup, followups
from fotfeste.wallclock import today_in

log = logging.getLogger(__name__)


class Enrolment(msgspec.Struct, frozen=True):
    programme: str
    start_date: date
    chosen: bool  # False: the default programme from the account's first day


class CheckupOutcome(msgspec.Struct, frozen=True):
    """One account's checkup answers at one follow-up point (for aggregates only)."""

    account_id: str
    role: str
    programme: str
    point: str
    due_date: date
    answered_on: date
    burden: int | None
    days_used: int | None
    belief: int | None


async def set_programme(db: Database, account_id: str, programme: str, start_date: date) -> None:
    """Enrol an account in a programme from a date (the family and staff helpers call this)."""
    if programme not in catalogue().programmes:
        raise InvalidInput(
            f"Unknown programme {programme!r}; choose one of {sorted(catalogue().programmes)}",
            field="programme",
        )
    await store.set_enrolment(db, account_id, programme, start_date)


def _created_on(created_at: str, timezone: str) -> date:
    return today_in(datetime.fromisoformat(created_at), timezone)


async def enrolment_for(
    db: Database, account_id: str, timezone: str, *, profile: Any = None
) -> Enrolment:
    chosen = await store.enrolment(db, account_id)
    if chosen is not None:
        return Enrolment(chosen[0], chosen[1], chosen=True)
    profile = profile or await profile_row(db, account_id)
    start = _created_on(profile["created_at"], timezone)
    return Enrolment(catalogue().default_programme, start, chosen=False)


async def schedule_for(
    db: Database, clock: Clock, account_id: str, timezone: str, *, role: str, locale: str
) -> tuple[Enrolment, list[Followup]]:
    """The enrolment and its follow-ups, for a caller that knows the account's role and locale."""
    enrolment = await enrolment_for(db, account_id, timezone)
    cat = catalogue()
    entries = followups(
        cat,
        cat.programmes[enrolment.programme],
        enrolment.start_date,
        local_today(clock, timezone),
        role=role,
        locale=locale,
        answered=await store.answered_dates(db, account_id),
    )
    return enrolment, entries


async def followups_for_account(
    db: Database, clock: Clock, account_id: str, timezone: str, *, locale: str | None = None
) -> list[Followup]:
    """The account's follow-ups with status due / done / upcoming / missed, in date order.

    The push helper calls this for "follow-up due" reminders: remind about entries whose status
    is "due". Labels are in the account's language unless `locale` says otherwise.
    """
    profile = await profile_row(db, account_id)
    _, entries = await schedule_for(
        db,
        clock,
        account_id,
        timezone,
        role=profile["role"],
        locale=locale or profile["locale"],
    )
    return entries


async def followups_for_accounts(
    db: Database, clock: Clock, account_ids: Sequence[str]
) -> dict[str, list[Followup]]:
    """followups_for_account for many accounts in two queries (the staff outcomes).

    The schedules themselves are worked out in a thread: for a clinic with a thousand linked
    people that is most of a second of pure computation, which must not stall the event loop
    (issue 22, finding 6). An account whose schedule cannot be computed (a date the calendar
    cannot hold) is left out of the answer, so one account never stops the figures for others.
    """
    chosen = await store.enrolments(db, account_ids) if account_ids else {}
    answered = await store.answered_dates_of(db, account_ids) if account_ids else {}
    profiles = {account_id: await profile_row(db, account_id) for account_id in account_ids}
    return await asyncio.to_thread(_schedules, clock, profiles, chosen, answered)


def _schedules(
    clock: Clock,
    profiles: dict[str, Any],
    chosen: dict[str, tuple[str, date]],
    answered: dict[str, list[tuple[str, date]]],
) -> dict[str, list[Followup]]:
    cat = catalogue()
    out: dict[str, list[Followup]] = {}
    for account_id, profile in profiles.items():
        try:
            timezone = profile["timezone"]
            programme_id, start = chosen.get(account_id) or (
                cat.default_programme,
                _created_on(profile["created_at"], timezone),
            )
            out[account_id] = followups(
                cat,
                cat.programmes[programme_id],
                start,
                local_today(clock, timezone),
                role=profile["role"],
                locale=profile["locale"],
                answered=answered.get(account_id, []),
            )
        except (ArithmeticError, ValueError, KeyError):
            continue
    return out


async def checkup_outcomes(
    db: Database, clock: Clock, account_ids: Sequence[str] | None = None
) -> list[CheckupOutcome]:
    """Checkup answers per account per follow-up point (the first answer in each window).

    For the staff outcomes helper, which shows only aggregates with small cells suppressed.
    Answers outside every window (extra check-ups) are left out.
    """
    rows = await store.checkup_responses(db, account_ids)
    ids = sorted({row["account_id"] for row in rows})
    chosen = await store.enrolments(db, ids) if ids else {}
    profiles = {account_id: await profile_row(db, account_id) for account_id in ids}
    # Decoding every answer and working out every schedule is CPU work that grows with what the
    # linked accounts wrote: done in a thread, so the API keeps answering meanwhile (issue 22).
    return await asyncio.to_thread(_all_outcomes, rows, chosen, profiles, clock.now())


def _all_outcomes(
    rows: Sequence[Any],
    chosen: dict[str, tuple[str, date]],
    profiles: dict[str, Any],
    now: datetime,
) -> list[CheckupOutcome]:
    by_account: dict[str, list[tuple[date, str]]] = {}
    cat = catalogue()
    outcomes: list[CheckupOutcome] = []
    for row in rows:
        by_account.setdefault(row["account_id"], []).append(
            (date.fromisoformat(row["answered_on"]), row["answers"])
        )
    for account_id, stored in by_account.items():
        profile = profiles[account_id]
        role, timezone = profile["role"], profile["timezone"]
        try:
            answered = [(day, _decode_answers(text)) for day, text in stored]
            programme_id, start = chosen.get(account_id) or (
                cat.default_programme,
                _created_on(profile["created_at"], timezone),
            )
            today = today_in(now, timezone)
            outcomes += _outcomes_of(cat, account_id, role, programme_id, start, today, answered)
        except Exception as exc:
            # One person's broken data leaves them out of the aggregates, not everyone (issue 22).
            log.warning("check-up outcomes: one account left out (%s)", type(exc).__name__)
    return outcomes


_decode_answers = msgspec.json.Decoder(dict[str, int]).decode


def _outcomes_of(
    cat: Catalogue,
    account_id: str,
    role: str,
    programme_id: str,
    start: date,
    today: date,
    answered: list[tuple[date, dict[str, int]]],
) -> list[CheckupOutcome]:
    instrument = cat.instrument("checkup", role)
    if instrument is None:
        return []
    by_measure = {item.measure: item.key for item in instrument.items if item.measure}
    entries = followups(
        cat,
        cat.programmes[programme_id],
        start,
        today,
        role=role,
        locale="en",
        answered=[("checkup", day) for day, _ in answered],
    )
    result = []
    for entry in entries:
        if entry.completed_on is None:
            continue
        answers = next(a for day, a in answered if day == entry.completed_on)

        def value(measure: str, answers: dict[str, int] = answers) -> int | None:
            key = by_measure.get(measure)  # type: ignore[call-overload]
            return None if key is None else answers.get(key)

        result.append(
            CheckupOutcome(
                account_id=account_id,
                role=role,
                programme=programme_id,
                point=entry.key,
                due_date=entry.due_date,
                answered_on=entry.completed_on,
                burden=value("burden"),
                days_used=value("days_used"),
                belief=value("belief"),
            )
        )
    return result
