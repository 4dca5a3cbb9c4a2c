"""A clinic's programme outcomes: gather counts and scores, then protect and summarise them."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from fotfeste.accounts import store as accounts
from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Database
from fotfeste.staff import logic, store
from fotfeste.staff.logic import Cell, PersonRecord, ProgrammeOutcomes

ACTIVE_WINDOW = timedelta(days=30)


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
    # None until the scales and meetings domains provide follow-up answers and attendance.
    programmes: list[ProgrammeOutcomes] | None


async def clinic_outcomes(db: Database, clock: Clock, clinic_id: str) -> Report:
    now = clock.now()
    counts = {row["programme"]: row for row in await store.programme_counts(db, clinic_id)}
    linked = await store.linked_accounts(db, clinic_id)
    seen = await accounts.last_seen(db, [row["account_id"] for row in linked])
    since = isoformat_utc(now - ACTIVE_WINDOW)
    raw: dict[str, dict[str, int]] = {}
    hidden: dict[str, set[str]] = {"active_30": set()}
    for programme in logic.PROGRAMMES:
        members = [row["account_id"] for row in linked if row["programme"] == programme]
        active = sum(1 for account_id in members if seen.get(account_id, "") >= since)
        raw[programme] = {
            "activations": int(counts[programme]["activations"] or 0) if programme in counts else 0,
            "linked": len(members),
            "active_30": active,
        }
        # Linked people are active or not: the two counts are one partition of `linked`.
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
    return Report(generated_at=isoformat_utc(now), funnel=funnel, programmes=None)


def _people(programme: str, records: list[PersonRecord]) -> list[PersonRecord]:
    return [r for r in records if r.programme == programme]


SUPPRESSED = "suppressed (<5)"
NOT_AVAILABLE = "not yet available"


def _cell(value: float | int | None) -> str:
    if value is None:
        return SUPPRESSED
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def to_csv(report: Report) -> str:
    """One row per figure: programme, section, measure, time point, group, statistic, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["programme", "section", "measure", "timepoint", "group", "statistic", "value"])
    for row in report.funnel:
        writer.writerow([row.programme, "funnel", "", "", "", "codes_issued", row.codes])
        for name in ("activations", "linked", "active_30"):
            writer.writerow([row.programme, "funnel", "", "", "", name, _cell(getattr(row, name))])
    if report.programmes is None:
        for programme in logic.PROGRAMMES:
            for section in (
                "followup_completion",
                "change_from_baseline",
                "days_used_by_attendance",
            ):
                writer.writerow([programme, section, "", "", "", "", NOT_AVAILABLE])
        return out.getvalue()
    for result in report.programmes:
        p = result.programme
        for done in result.completion:
            writer.writerow(
                [p, "followup_completion", "", done.timepoint, "", "eligible", _cell(done.eligible)]
            )
            writer.writerow(
                [
                    p,
                    "followup_completion",
                    "",
                    done.timepoint,
                    "",
                    "completed",
                    _cell(done.completed),
                ]
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
                writer.writerow(
                    [
                        p,
                        "change_from_baseline",
                        change.measure,
                        change.timepoint,
                        "",
                        statistic,
                        _cell(value),
                    ]
                )
        for group in result.regularity:
            writer.writerow(
                [
                    p,
                    "days_used_by_attendance",
                    "days_used",
                    "latest",
                    group.group,
                    "n",
                    _cell(group.n),
                ]
            )
            writer.writerow(
                [
                    p,
                    "days_used_by_attendance",
                    "days_used",
                    "latest",
                    group.group,
                    "median",
                    _cell(group.median_days_used),
                ]
            )
    return out.getvalue()
