"""A clinic's programme outcomes: gather counts and scores, then protect and summarise them."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from fotfeste.accounts import store as accounts
from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Database
from fotfeste.staff import logic, store
from fotfeste.staff.logic import Cell, ProgrammeOutcomes
from fotfeste.staff.records import (
    ATTENDANCE_WINDOW,
    CheckupAnswer,
    FollowupEntry,
    LinkedAccount,
    person_records,
    timepoint_order,
)

ACTIVE_WINDOW = timedelta(days=30)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sources:
    """What other domains expose for the aggregates; None where a domain is not there yet."""

    followups: Callable[[Database, Clock, str, str], Awaitable[Sequence[FollowupEntry]]] | None
    checkups: Callable[[Database, Clock, Sequence[str]], Awaitable[Sequence[CheckupAnswer]]] | None
    attendance: Callable[[Database, str, date], Awaitable[Mapping[date, int]]] | None


# Bound to the scales and meetings domains' functions once those are merged (see sources.py).
NO_SOURCES = Sources(followups=None, checkups=None, attendance=None)


@dataclass(frozen=True)
class FunnelRow:
    programme: str  # a programme, or "total"
    codes: int  # codes are not people: never suppressed
    activations: Cell
    linked: Cell
    active_30: Cell


@dataclass(frozen=True)
class Report:
    generated_at: str
    funnel: list[FunnelRow]
    # None while the scales domain does not provide follow-ups and check-up answers.
    programmes: list[ProgrammeOutcomes] | None
    # False while the meetings domain does not provide attendance: regularity rows are left out.
    attendance_available: bool


async def clinic_outcomes(
    db: Database, clock: Clock, clinic_id: str, sources: Sources = NO_SOURCES
) -> Report:
    now = clock.now()
    counts = {row["programme"]: row for row in await store.programme_counts(db, clinic_id)}
    linked = await store.linked_accounts(db, clinic_id)
    seen = await accounts.last_seen(db, [row["account_id"] for row in linked])
    since = isoformat_utc(now - ACTIVE_WINDOW)
    raw: dict[str, dict[str, int]] = {}
    hidden: dict[str, set[str]] = {"active_30": set(), "linked": set()}
    for programme in logic.PROGRAMMES:
        members = [row["account_id"] for row in linked if row["programme"] == programme]
        active = sum(1 for account_id in members if seen.get(account_id, "") >= since)
        raw[programme] = {
            "activations": int(counts[programme]["activations"] or 0) if programme in counts else 0,
            "linked": len(members),
            "active_30": active,
        }
        # Two partitions inside a programme: those who accepted are still linked or have left,
        # and those linked are active or not. A small "left" or "idle" must not be derivable.
        accepted = raw[programme]["activations"]
        _, parts = logic.protect(
            accepted, {"linked": len(members), "left": accepted - len(members)}
        )
        if parts["linked"] is None:
            hidden["linked"].add(programme)
        _, parts = logic.protect(len(members), {"active": active, "idle": len(members) - active})
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
    accounts_linked = [
        LinkedAccount(row["account_id"], row["programme"], seen.get(row["account_id"], "") >= since)
        for row in linked
    ]
    return Report(
        generated_at=isoformat_utc(now),
        funnel=funnel,
        programmes=await _programmes(db, clock, accounts_linked, sources),
        attendance_available=sources.attendance is not None,
    )


async def _programmes(
    db: Database, clock: Clock, linked: list[LinkedAccount], sources: Sources
) -> list[ProgrammeOutcomes] | None:
    if sources.followups is None or sources.checkups is None:
        return None
    schedules: dict[str, Sequence[FollowupEntry]] = {}
    for account in linked:
        timezone = (await accounts.profile_row(db, account.account_id))["timezone"]
        try:
            schedules[account.account_id] = await sources.followups(
                db, clock, account.account_id, timezone
            )
        except Exception as exc:
            # One person's broken data (a year-1 date) leaves them out, not the page (issue 22).
            log.warning("outcomes: one linked account left out (%s)", type(exc).__name__)
    linked = [a for a in linked if a.account_id in schedules]
    answers = await sources.checkups(db, clock, [a.account_id for a in linked]) if linked else []
    attendance: dict[str, Mapping[date, int]] = {}
    if sources.attendance is not None:
        # Far enough back for the 30 days before any follow-up of a linked person.
        since = min((a.answered_on for a in answers), default=clock.now().date())
        for account in linked:
            attendance[account.account_id] = await sources.attendance(
                db, account.account_id, since - ATTENDANCE_WINDOW
            )
    records = person_records(linked, schedules, answers, attendance)
    results = []
    for programme in logic.PROGRAMMES:
        members = [a.account_id for a in linked if a.programme == programme]
        order = timepoint_order([schedules[m] for m in members])
        people = [r for r in records if r.programme == programme]
        results.append(logic.programme_outcomes(programme, people, order))
    return results


SUPPRESSED = "suppressed (<5)"
NOT_AVAILABLE = "not yet available"


def _cell(value: float | int | None) -> str:
    if value is None:
        return SUPPRESSED
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def csv_rows(report: Report) -> list[tuple[str, str, str, str, str, str, str]]:
    """One row per figure: programme, section, measure, time point, group, statistic, value."""
    rows = []
    for row in report.funnel:
        rows.append((row.programme, "funnel", "", "", "", "codes_issued", str(row.codes)))
        for name in ("activations", "linked", "active_30"):
            rows.append((row.programme, "funnel", "", "", "", name, _cell(getattr(row, name))))
    if report.programmes is None:
        for programme in logic.PROGRAMMES:
            for section in ("followup_completion", "change_from_baseline", _REGULARITY):
                rows.append((programme, section, "", "", "", "", NOT_AVAILABLE))
        return rows
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
                ("wilcoxon_statistic", s.statistic),
                ("p_value", s.p_value),
            ):
                rows.append(
                    (
                        p,
                        "change_from_baseline",
                        change.measure,
                        change.timepoint,
                        "",
                        statistic,
                        _cell(value),
                    )
                )
        if not report.attendance_available:
            rows.append((p, _REGULARITY, "days_used", "latest", "", "", NOT_AVAILABLE))
            continue
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
