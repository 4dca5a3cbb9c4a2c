"""A clinic's programme outcomes: gather counts and scores, then protect and summarise them."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import msgspec

from fotfeste.accounts import service as accounts
from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Database
from fotfeste.staff import logic, release, store
from fotfeste.staff.logic import Cell, PersonRecord, ProgrammeOutcomes
from fotfeste.staff.records import (
    ATTENDANCE_WINDOW,
    CheckupAnswer,
    FollowupEntry,
    LinkedAccount,
    person_records,
    timepoint_order,
)

ACTIVE_WINDOW = timedelta(days=30)
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sources:
    """What other domains expose for the aggregates, each for many accounts in a few queries
    (bound in sources.py). `followups` leaves out an account whose schedule cannot be computed.
    """

    followups: Callable[
        [Database, Clock, Sequence[str]], Awaitable[Mapping[str, Sequence[FollowupEntry]]]
    ]
    checkups: Callable[[Database, Clock, Sequence[str]], Awaitable[Sequence[CheckupAnswer]]]
    attendance: Callable[
        [Database, Sequence[str], date], Awaitable[Mapping[str, Mapping[date, int]]]
    ]


@dataclass(frozen=True)
class FunnelRow:
    programme: str  # a programme, or "total"
    codes: int  # codes are not people: never suppressed, no noise
    activations: Cell
    linked: Cell
    active_30: Cell


@dataclass(frozen=True)
class Privacy:
    """What the page says about the release: its ε, its period and how noisy a count is."""

    epsilon: float  # for the whole release (one person, one month)
    period: str  # YYYY-MM in the clinic's zone
    made_at: str
    made_on: str  # the day it was made, in the zone
    next_release: str  # the first day of the next period
    count_error: int  # a count is within ± this of the truth 19 times out of 20 (worst programme)


@dataclass(frozen=True)
class Report:
    generated_at: str
    funnel: list[FunnelRow]
    programmes: list[ProgrammeOutcomes]
    privacy: Privacy


async def released_outcomes(
    db: Database,
    clock: Clock,
    clinic_id: str,
    sources: Sources,
    *,
    epsilon: float,
    zone: str,
) -> Report:
    """This period's release: made on the first request of the period, then the same for all.

    A second look, or a look after one more person linked, in the same period gets the very
    same figures, so comparing them tells nothing new; each period costs one ε per person.
    """
    period = release.period_of(clock.now(), zone)
    stored = await store.outcome_release(db, clinic_id, period)
    if stored is not None:
        try:
            return msgspec.json.decode(stored, type=Report)
        except msgspec.ValidationError:
            # Stored by a version whose figures had another shape: made anew, once, below.
            _log.warning("outcomes: this month's stored release has an old shape; made anew")
    report = await clinic_outcomes(db, clock, clinic_id, sources, epsilon=epsilon, zone=zone)
    # Two first requests at once: the first one stored wins, and both show it.
    kept = await store.keep_outcome_release(
        db,
        clinic_id,
        period,
        epsilon,
        report.generated_at,
        msgspec.json.encode(report),
        replace=stored is not None,
    )
    return msgspec.json.decode(kept, type=Report)


async def clinic_outcomes(
    db: Database,
    clock: Clock,
    clinic_id: str,
    sources: Sources,
    *,
    epsilon: float,
    zone: str,
) -> Report:
    """A fresh release with `epsilon` (callers other than tests use released_outcomes)."""
    now = clock.now()
    counts = {row["programme"]: row for row in await store.programme_counts(db, clinic_id)}
    linked = await store.linked_accounts(db, clinic_id)
    seen = await accounts.last_seen(db, [row["account_id"] for row in linked])
    since = isoformat_utc(now - ACTIVE_WINDOW)
    accounts_linked = [
        LinkedAccount(row["account_id"], row["programme"], seen.get(row["account_id"], "") >= since)
        for row in linked
    ]
    records, orders = await _gather(db, clock, accounts_linked, sources)
    noises = {
        programme: release.DpNoise(
            epsilon / release.figures_per_programme(len(orders.get(programme, [])))
        )
        for programme in logic.PROGRAMMES
    }
    raw: dict[str, dict[str, int]] = {}
    hidden: dict[str, set[str]] = {"active_30": set(), "linked": set()}
    for programme in logic.PROGRAMMES:
        noise = noises[programme]
        members = [a for a in accounts_linked if a.programme == programme]
        # A programme without codes has nobody (the code count is the clinic's own, not about
        # people), so its row is 0, not noise.
        accepted = (
            noise.count(int(counts[programme]["activations"] or 0)) if programme in counts else 0
        )
        # Everyone linked accepted a code: never more linked than accepted (post-processing
        # of released counts costs no privacy), as never more active than linked below.
        members_n = min(noise.count(len(members)), accepted)
        active = min(noise.count(sum(1 for a in members if a.active_recently)), members_n)
        raw[programme] = {"activations": accepted, "linked": members_n, "active_30": active}
        # Two partitions inside a programme: those who accepted are still linked or have left,
        # and those linked are active or not. A small "left" or "idle" must not be derivable.
        _, parts = logic.protect(
            accepted, {"linked": members_n, "left": max(accepted - members_n, 0)}
        )
        if parts["linked"] is None:
            hidden["linked"].add(programme)
        _, parts = logic.protect(members_n, {"active": active, "idle": members_n - active})
        if parts["active"] is None:
            hidden["active_30"].add(programme)
    shown = logic.protect_columns(raw, hidden)
    funnel = [
        FunnelRow(
            programme=name,
            codes=(
                sum(int(row["codes"]) for row in counts.values())
                if name == "total"
                else int(counts[name]["codes"])
                if name in counts
                else 0
            ),
            activations=shown[name]["activations"],
            linked=shown[name]["linked"],
            active_30=shown[name]["active_30"],
        )
        for name in [*logic.PROGRAMMES, "total"]
    ]

    def figures() -> list[ProgrammeOutcomes]:
        return [
            logic.programme_outcomes(
                programme,
                [r for r in records if r.programme == programme],
                orders.get(programme, []),
                noises[programme],
                release.stable_wilcoxon_band,
            )
            for programme in logic.PROGRAMMES
        ]

    # Medians, noise and the Wilcoxon band over every linked person: CPU work, in a thread,
    # so the portal's first look of a month never stalls everyone's requests.
    programmes = await asyncio.to_thread(figures)
    period = release.period_of(now, zone)
    return Report(
        generated_at=isoformat_utc(now),
        funnel=funnel,
        programmes=programmes,
        privacy=Privacy(
            epsilon=epsilon,
            period=period,
            made_at=isoformat_utc(now),
            made_on=release.local_date(now, zone).isoformat(),
            next_release=release.next_period_starts(period).isoformat(),
            count_error=max(release.count_error(n.epsilon) for n in noises.values()),
        ),
    )


async def _gather(
    db: Database, clock: Clock, linked: list[LinkedAccount], sources: Sources
) -> tuple[list[PersonRecord], dict[str, list[str]]]:
    """Every linked person's record and each programme's time points.

    One person's data that cannot be read (a date the calendar cannot hold, say) leaves that
    person out; it never stops the figures for everyone else.
    """
    ids = [a.account_id for a in linked]
    schedules = await sources.followups(db, clock, ids) if ids else {}
    if len(schedules) < len(ids):
        _log.warning(
            "outcomes: left out %d linked accounts whose follow-ups cannot be read",
            len(ids) - len(schedules),
        )
    kept = [a for a in linked if a.account_id in schedules]
    answers = await _checkups(db, clock, [a.account_id for a in kept], sources.checkups)
    attendance: Mapping[str, Mapping[date, int]] = {}
    if kept:
        # Far enough back for the 30 days before any follow-up of a linked person.
        since = min((a.answered_on for a in answers), default=clock.now().date())
        attendance = await sources.attendance(
            db, [a.account_id for a in kept], since - ATTENDANCE_WINDOW
        )
    orders = {
        programme: timepoint_order(
            [schedules[a.account_id] for a in kept if a.programme == programme]
        )
        for programme in logic.PROGRAMMES
    }
    return person_records(kept, schedules, answers, attendance), orders


async def _checkups(
    db: Database,
    clock: Clock,
    account_ids: list[str],
    checkups: Callable[[Database, Clock, Sequence[str]], Awaitable[Sequence[CheckupAnswer]]],
) -> list[CheckupAnswer]:
    """Everyone's check-up answers in one call; one by one, leaving out failures, if it fails."""
    if not account_ids:
        return []
    try:
        return list(await checkups(db, clock, account_ids))
    except (ArithmeticError, ValueError, KeyError):
        answers: list[CheckupAnswer] = []
        for account_id in account_ids:
            try:
                answers += await checkups(db, clock, [account_id])
            except (ArithmeticError, ValueError, KeyError):
                _log.warning("outcomes: left out one linked account whose answers cannot be read")
        return answers


SUPPRESSED = "suppressed (<5)"
WILCOXON_HIDDEN = "not shown (under 50 pairs, or one person could change it)"


def _cell(value: float | int | str | None) -> str:
    if value is None:
        return SUPPRESSED
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def csv_rows(report: Report) -> list[tuple[str, str, str, str, str, str, str]]:
    """One row per figure: programme, section, measure, time point, group, statistic, value."""
    privacy = report.privacy
    rows = [
        ("", "privacy", "", "", "", "epsilon", f"{privacy.epsilon:g}"),
        ("", "privacy", "", "", "", "period", privacy.period),
        ("", "privacy", "", "", "", "made_at", privacy.made_at),
        ("", "privacy", "", "", "", "next_release", privacy.next_release),
        ("", "privacy", "", "", "", "count_error_95", str(privacy.count_error)),
    ]
    for row in report.funnel:
        rows.append((row.programme, "funnel", "", "", "", "codes_issued", str(row.codes)))
        for name in ("activations", "linked", "active_30"):
            rows.append((row.programme, "funnel", "", "", "", name, _cell(getattr(row, name))))
    for result in report.programmes:
        p = result.programme
        for done in result.completion:
            rows.append(
                (p, "followup_completion", "", done.timepoint, "", "eligible", _cell(done.eligible))
            )
            rows.append(
                (
                    p,
                    "followup_completion",
                    "",
                    done.timepoint,
                    "",
                    "completed",
                    _cell(done.completed),
                )
            )
        for change in result.changes:
            s = change.summary
            for statistic, value in (
                ("n_pairs", s.n),
                ("median_baseline", s.median_before),
                ("median_followup", s.median_after),
                ("median_change", s.median_change),
                ("wilcoxon_p", s.p_band),
            ):
                rows.append(
                    (
                        p,
                        "change_from_baseline",
                        change.measure,
                        change.timepoint,
                        "",
                        statistic,
                        WILCOXON_HIDDEN
                        if statistic == "wilcoxon_p" and value is None and s.n
                        else _cell(value),
                    )
                )
        for group in result.regularity:
            rows.append((p, _REGULARITY, "days_used", "latest", group.group, "n", _cell(group.n)))
            median = _cell(group.median_days_used)
            rows.append((p, _REGULARITY, "days_used", "latest", group.group, "median", median))
    return rows


_REGULARITY = "days_used_by_attendance"


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["programme", "section", "measure", "timepoint", "group", "statistic", "value"])
    writer.writerows(csv_rows(report))
    return out.getvalue()
