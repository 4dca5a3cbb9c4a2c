"""From other domains' per-account data to the staff side's PersonRecords (pure, never shown)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from fotfeste.staff.logic import Checkup, PersonRecord

ATTENDANCE_WINDOW = timedelta(days=30)
# A follow-up whose window has closed counts as due, answered or not; one still open does not
# count yet, so a person who still has days left is never counted as having missed it.
_COUNTED = frozenset({"done", "missed"})


class FollowupEntry(Protocol):
    """One scheduled follow-up of an account (the scales domain's Followup)."""

    @property
    def key(self) -> str: ...
    @property
    def status(self) -> str: ...


class CheckupAnswer(Protocol):
    """One account's check-up answers at one follow-up point (the scales domain's outcome)."""

    @property
    def account_id(self) -> str: ...
    @property
    def programme(self) -> str: ...
    @property
    def point(self) -> str: ...
    @property
    def answered_on(self) -> date: ...
    @property
    def burden(self) -> int | None: ...
    @property
    def days_used(self) -> int | None: ...
    @property
    def belief(self) -> int | None: ...


@dataclass(frozen=True)
class LinkedAccount:
    account_id: str
    programme: str
    active_recently: bool


def timepoint_order(schedules: Sequence[Sequence[FollowupEntry]]) -> list[str]:
    """Follow-up keys in schedule order (each account's list is in date order)."""
    first_seen: dict[str, int] = {}
    for entries in schedules:
        for index, entry in enumerate(entries):
            first_seen[entry.key] = min(index, first_seen.get(entry.key, index))
    return sorted(first_seen, key=lambda key: (first_seen[key], key))


def meetings_before(attendance: Mapping[date, int], day: date) -> int:
    """Meetings attended in the 30 days up to and including `day`."""
    start = day - ATTENDANCE_WINDOW
    return sum(count for when, count in attendance.items() if start < when <= day)


def person_records(
    linked: Sequence[LinkedAccount],
    schedules: Mapping[str, Sequence[FollowupEntry]],
    answers: Sequence[CheckupAnswer],
    attendance: Mapping[str, Mapping[date, int]],
) -> list[PersonRecord]:
    """One record per linked account: due follow-ups, complete check-ups, attendance.

    Answers count only under the programme the person was linked to (a person who switched
    programme later has different time points), and only with all three measures answered.
    """
    by_account: dict[str, list[CheckupAnswer]] = {}
    for answer in answers:
        by_account.setdefault(answer.account_id, []).append(answer)
    records = []
    for account in linked:
        checkups: dict[str, Checkup] = {}
        latest: date | None = None
        for answer in by_account.get(account.account_id, []):
            if answer.programme != account.programme:
                continue
            if answer.burden is None or answer.days_used is None or answer.belief is None:
                continue
            checkups[answer.point] = Checkup(answer.burden, answer.days_used, answer.belief)
            latest = answer.answered_on if latest is None else max(latest, answer.answered_on)
        attended = attendance.get(account.account_id)
        records.append(
            PersonRecord(
                programme=account.programme,
                active_recently=account.active_recently,
                due=frozenset(
                    e.key for e in schedules.get(account.account_id, []) if e.status in _COUNTED
                ),
                checkups=checkups,
                meetings_last_30=(
                    None
                    if latest is None or attended is None
                    else meetings_before(attended, latest)
                ),
            )
        )
    return records
