"""From other domains' per-account data to outcome records: time points, answers, attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fotfeste.staff.logic import Checkup, programme_outcomes
from fotfeste.staff.records import (
    LinkedAccount,
    meetings_before,
    person_records,
    timepoint_order,
)
from fotfeste.staff.release import DpNoise, stable_wilcoxon_band


@dataclass(frozen=True)
class Entry:
    key: str
    status: str


@dataclass(frozen=True)
class Answer:
    account_id: str
    programme: str
    point: str
    answered_on: date
    burden: int | None
    days_used: int | None
    belief: int | None


def test_timepoint_order_follows_the_schedules() -> None:
    schedules = [
        [Entry("baseline", "done"), Entry("m1", "done"), Entry("m3", "upcoming")],
        [Entry("baseline", "done"), Entry("m1", "missed")],
        [Entry("intake", "done")],
    ]
    assert timepoint_order(schedules) == ["baseline", "intake", "m1", "m3"]


def test_meetings_before_counts_the_30_days_up_to_the_day() -> None:
    attendance = {
        date(2026, 2, 1): 9,
        date(2026, 2, 15): 1,
        date(2026, 3, 2): 2,
        date(2026, 3, 3): 5,
    }
    assert meetings_before(attendance, date(2026, 3, 2)) == 9 + 1 + 2  # 1 Feb .. 2 Mar
    assert meetings_before(attendance, date(2026, 3, 3)) == 1 + 2 + 5  # 2 Feb .. 3 Mar


def test_person_records() -> None:
    linked = [
        LinkedAccount("a", "aftercare", active_recently=True),
        LinkedAccount("b", "aftercare", active_recently=False),
    ]
    schedules = {
        "a": [Entry("baseline", "done"), Entry("m1", "done"), Entry("m3", "due")],
        "b": [Entry("baseline", "done"), Entry("m1", "missed")],
    }
    answers = [
        Answer("a", "aftercare", "baseline", date(2026, 1, 1), 8, 20, 3),
        Answer("a", "aftercare", "m1", date(2026, 2, 1), 5, 4, 6),
        Answer("b", "aftercare", "baseline", date(2026, 1, 5), 7, None, 4),  # incomplete
        Answer("b", "clinic-16", "intake", date(2026, 1, 5), 7, 3, 4),  # another programme
    ]
    attendance = {"a": {date(2026, 1, 20): 3, date(2026, 1, 27): 2}, "b": {}}
    a, b = person_records(linked, schedules, answers, attendance)
    assert a.due == {"baseline", "m1"}  # m3's window is still open
    assert a.checkups == {"baseline": Checkup(8, 20, 3), "m1": Checkup(5, 4, 6)}
    assert a.meetings_last_30 == 5 and a.active_recently
    assert b.due == {"baseline", "m1"} and b.checkups == {} and b.meetings_last_30 is None
    # Without the meetings domain, nobody has an attendance figure.
    assert person_records(linked, schedules, answers, {})[0].meetings_last_30 is None


def test_records_feed_the_programme_outcomes() -> None:
    linked = [LinkedAccount(str(i), "clinic-16", True) for i in range(6)]
    schedules = {str(i): [Entry("intake", "done"), Entry("w8", "done")] for i in range(6)}
    answers = []
    for i, (before, after) in enumerate(zip([10, 8, 7, 9, 6, 5], [4, 7, 3, 11, 1, 2], strict=True)):
        answers.append(Answer(str(i), "clinic-16", "intake", date(2026, 1, 1), before, 10, 5))
        answers.append(Answer(str(i), "clinic-16", "w8", date(2026, 3, 1), after, 10, 5))
    records = person_records(linked, schedules, answers, {})
    order = timepoint_order(list(schedules.values()))
    # At a huge ε the released figures are the exact ones: this checks which records count.
    out = programme_outcomes("clinic-16", records, order, DpNoise(1e6), stable_wilcoxon_band)
    burden = next(c for c in out.changes if c.measure == "burden" and c.timepoint == "w8")
    assert burden.summary.median_change == -3.5 and burden.summary.n == 6
    assert [(c.timepoint, c.eligible, c.completed) for c in out.completion] == [
        ("intake", 6, 6),
        ("w8", 6, 6),
    ]
