"""Outcome gathering against a real SQLite database, with the other domains' data stood in for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fotfeste.accounts import store as accounts
from fotfeste.clock import Clock, FixedClock
from fotfeste.db import Database
from fotfeste.staff import logic, outcomes, pages, store, user_store
from fotfeste.staff.sessions import StaffSession
from tests.conftest import DEFAULT_NOW

# Next to no noise: these tests check who is counted and what is suppressed (the noise is
# tested in tests/unit/test_staff.py and tests/api/test_outcomes_privacy.py).
EPSILON = 1e6
ZONE = "Europe/Copenhagen"
BEFORE = [10, 8, 7, 9, 6, 5]
AFTER = [4, 7, 3, 11, 1, 2]


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


async def no_followups(_: Database, __: Clock, ids: Sequence[str]) -> dict[str, list[Entry]]:
    return {i: [] for i in ids}


async def no_checkups(_: Database, __: Clock, ___: Sequence[str]) -> Sequence[Answer]:
    return []


async def no_attendance(_: Database, __: Sequence[str], ___: date) -> dict[str, dict[date, int]]:
    return {}


# The other domains as they are for people who have done nothing there yet.
NOTHING_ELSE = outcomes.Sources(
    followups=no_followups, checkups=no_checkups, attendance=no_attendance
)


async def _clinic_with_people(db: Database, clock: Clock, count: int) -> tuple[str, list[str]]:
    clinic_id = await store.create_clinic(db, clock, "Mottagningen")
    staff_id = await user_store.create_user(
        db, clock, clinic_id, "staff@clinic.example", "not-a-hash"
    )
    code = await store.create_code(
        db,
        clock,
        clinic_id,
        staff_id,
        "staff@clinic.example",
        {
            "programme": "clinic-16",
            "locale": "da",
            "contact_phone": "",
            "contact_hours": "",
            "contact_address": "",
            "home_area": "",
            "home_lat": None,
            "home_lon": None,
        },
    )
    people = []
    for _ in range(count):
        account_id, _, _ = await accounts.create_account(
            db,
            clock,
            role="self",
            locale="da",
            timezone="Europe/Copenhagen",
            country="DK",
            referral_code=None,
        )
        await store.answer(db, account_id, code, accept=True, now="2026-01-01T10:00:00+00:00")
        people.append(account_id)
    return clinic_id, people


async def test_programme_figures_from_the_other_domains(db: Database) -> None:
    clock = FixedClock(DEFAULT_NOW)
    clinic_id, people = await _clinic_with_people(db, clock, 7)
    answers: list[Answer] = []
    for i, account_id in enumerate(people[:6]):
        answers.append(
            Answer(account_id, "clinic-16", "intake", date(2026, 1, 1), BEFORE[i], 12, 4)
        )
        answers.append(Answer(account_id, "clinic-16", "w8", date(2026, 3, 1), AFTER[i], 3, 7))

    async def followups(_: Database, __: Clock, ids: Sequence[str]) -> dict[str, list[Entry]]:
        def entries(done: bool) -> list[Entry]:
            return [
                Entry("intake", "done" if done else "missed"),
                Entry("w8", "done" if done else "missed"),
                Entry("w16", "upcoming"),
            ]

        return {account_id: entries(account_id in people[:6]) for account_id in ids}

    async def checkups(_: Database, __: Clock, ids: Sequence[str]) -> Sequence[Answer]:
        return [a for a in answers if a.account_id in ids]

    async def attendance(
        _: Database, ids: Sequence[str], since: date
    ) -> dict[str, dict[date, int]]:
        assert since <= date(2026, 1, 30)
        return {i: {date(2026, 2, 20): 5} if people.index(i) < 5 else {} for i in ids}

    sources = outcomes.Sources(followups=followups, checkups=checkups, attendance=attendance)
    report = await outcomes.clinic_outcomes(
        db, clock, clinic_id, sources, epsilon=EPSILON, zone=ZONE
    )
    group = next(p for p in report.programmes if p.programme == "clinic-16")
    # 6 of 7 answered; the one who did not is a small cell, so both cells are hidden.
    assert [(c.timepoint, c.eligible, c.completed) for c in group.completion] == [
        ("intake", 7, None),
        ("w8", 7, None),
        ("w16", 0, 0),
    ]
    burden = next(c for c in group.changes if c.measure == "burden" and c.timepoint == "w8")
    assert burden.summary.n == 6 and burden.summary.median_change == -3.5
    assert burden.summary.p_band is None  # 6 pairs: one person could move the test
    days = next(c for c in group.changes if c.measure == "days_used" and c.timepoint == "w8")
    assert days.summary.median_before == 12 and days.summary.median_after == 3
    regular = {r.group: r.n for r in group.regularity}
    assert regular == {"regular": None, "not_regular": None, "total": 6}  # 5 and 1: both hidden
    csv_text = outcomes.to_csv(report)
    assert "clinic-16,change_from_baseline,burden,w8,,median_change,-3.5" in csv_text
    for account_id in people:
        assert account_id not in csv_text


async def test_without_answers_elsewhere_nothing_is_made_up(db: Database) -> None:
    clock = FixedClock(DEFAULT_NOW)
    clinic_id, _ = await _clinic_with_people(db, clock, 5)
    report = await outcomes.clinic_outcomes(
        db, clock, clinic_id, NOTHING_ELSE, epsilon=EPSILON, zone=ZONE
    )
    funnel = {row.programme: row for row in report.funnel}
    assert funnel["clinic-16"].linked == 5 and funnel["clinic-16"].activations == 5
    group = next(p for p in report.programmes if p.programme == "clinic-16")
    assert group.completion == [] and [c.summary.n for c in group.changes] == []
    assert "change_from_baseline" not in outcomes.to_csv(report)


async def test_one_person_whose_dates_cannot_be_read_is_left_out_not_everyone(
    db: Database,
) -> None:
    """A year-1 programme date made the scales domain raise for that one person (issue 22)."""
    clock = FixedClock(DEFAULT_NOW)
    clinic_id, people = await _clinic_with_people(db, clock, 6)
    broken = people[0]

    async def followups(_: Database, __: Clock, ids: Sequence[str]) -> dict[str, list[Entry]]:
        # As the scales domain answers: the account it cannot compute is left out.
        return {i: [Entry("intake", "done"), Entry("w8", "upcoming")] for i in ids if i != broken}

    async def checkups(_: Database, __: Clock, ids: Sequence[str]) -> Sequence[Answer]:
        if broken in ids:
            raise OverflowError("date value out of range")
        return [Answer(i, "clinic-16", "intake", date(2026, 3, 1), 5, 10, 5) for i in ids]

    sources = outcomes.Sources(followups=followups, checkups=checkups, attendance=no_attendance)
    report = await outcomes.clinic_outcomes(
        db, clock, clinic_id, sources, epsilon=EPSILON, zone=ZONE
    )
    assert report.programmes is not None
    group = next(p for p in report.programmes if p.programme == "clinic-16")
    intake = group.completion[0]
    assert (intake.timepoint, intake.eligible, intake.completed) == ("intake", 5, 5)
    funnel = {row.programme: row for row in report.funnel}
    assert funnel["clinic-16"].linked == 6  # still linked; only their follow-ups are left out


async def test_answers_that_fail_together_are_read_one_by_one(db: Database) -> None:
    clock = FixedClock(DEFAULT_NOW)
    clinic_id, people = await _clinic_with_people(db, clock, 6)
    broken = people[0]

    async def followups(_: Database, __: Clock, ids: Sequence[str]) -> dict[str, list[Entry]]:
        return {i: [Entry("intake", "done"), Entry("w8", "upcoming")] for i in ids}

    async def checkups(_: Database, __: Clock, ids: Sequence[str]) -> Sequence[Answer]:
        if broken in ids:
            raise OverflowError("date value out of range")
        return [Answer(i, "clinic-16", "intake", date(2026, 3, 1), 5, 10, 5) for i in ids]

    sources = outcomes.Sources(followups=followups, checkups=checkups, attendance=no_attendance)
    report = await outcomes.clinic_outcomes(
        db, clock, clinic_id, sources, epsilon=EPSILON, zone=ZONE
    )
    assert report.programmes is not None
    group = next(p for p in report.programmes if p.programme == "clinic-16")
    days = next(c for c in group.changes if c.measure == "days_used")
    assert group.completion[0].eligible == 6 and days.timepoint == "w8"
    # The five whose answers could be read are all in the figures: 5 of 6 is shown as hidden.
    assert group.completion[0].completed is None


async def test_a_release_of_an_older_shape_is_made_anew_once(db: Database) -> None:
    clock = FixedClock(DEFAULT_NOW)
    clinic_id, _ = await _clinic_with_people(db, clock, 5)
    period = DEFAULT_NOW.strftime("%Y-%m")
    await store.keep_outcome_release(db, clinic_id, period, 1.0, "then", b'{"funnel": 3}')
    sources = NOTHING_ELSE
    first = await outcomes.released_outcomes(
        db, clock, clinic_id, sources, epsilon=EPSILON, zone=ZONE
    )
    assert first.privacy.period == period and first.funnel[-1].linked == 5
    again = await outcomes.released_outcomes(
        db, clock, clinic_id, sources, epsilon=EPSILON, zone=ZONE
    )
    assert again == first


def test_figures_on_the_page_have_a_decimal_comma_in_swedish_norwegian_and_danish() -> None:
    """Staff read "2,5" in sv/nb/da (as the page's own ε line already writes), not "2.5"."""
    summary = logic.PairedSummary(
        n=12, median_before=6.5, median_after=2.25, median_change=-3.5, p_band="<0.05"
    )
    result = logic.ProgrammeOutcomes(
        "clinic-16",
        [logic.Completion("intake", 12, 12)],
        [logic.Change("burden", "w8", summary)],
        [logic.Regularity("total", 12, 1.5)],
    )
    report = outcomes.Report(
        generated_at="2026-03-01T10:00:00Z",
        funnel=[],
        programmes=[result],
        privacy=outcomes.Privacy(
            epsilon=1.5,
            period="2026-03",
            made_at="2026-03-01T10:00:00Z",
            made_on="2026-03-01",
            next_release="2026-04-01",
            count_error=3,
        ),
    )
    session = StaffSession("h", "csrf", "s", "staff@clinic.example", "sv", False, "c", "Kliniken")
    for locale, point, other in (
        ("sv", ",", "."),
        ("nb", ",", "."),
        ("da", ",", "."),
        ("en", ".", ","),
    ):
        html = pages.render(
            "outcomes.html", locale, session=session, csrf="csrf", report=report
        ).content
        cells = html.split("<tbody>", 1)[1]
        for figure in ("6{}5", "2{}25", "-3{}5", "&lt;0{}05", "1{}5"):
            assert f"<td>{figure.format(point)}</td>" in cells, (locale, figure)
            assert f"<td>{figure.format(other)}</td>" not in cells, (locale, figure)


async def test_no_more_people_are_linked_than_ever_accepted(db: Database) -> None:
    """Everyone who is linked accepted a code, so a release never shows more still linked than
    accepted (the two counts' noise is drawn apart: a month could show 38 accepted and 41 still
    linked when nobody had left, or 5 linked to a programme with no codes at all)."""
    clock = FixedClock(DEFAULT_NOW)
    clinic_id, _ = await _clinic_with_people(db, clock, 40)
    for _ in range(30):
        report = await outcomes.clinic_outcomes(
            db, clock, clinic_id, NOTHING_ELSE, epsilon=1.0, zone=ZONE
        )
        for row in report.funnel:
            if row.activations is not None and row.linked is not None:
                assert row.linked <= row.activations, row
            if row.linked is not None and row.active_30 is not None:
                assert row.active_30 <= row.linked, row


async def test_a_programme_without_codes_shows_nobody(db: Database) -> None:
    """Only codes for the 16-week group: the other programmes' rows say 0, not a noisy 7."""
    clock = FixedClock(DEFAULT_NOW)
    clinic_id, _ = await _clinic_with_people(db, clock, 40)
    for _ in range(30):
        report = await outcomes.clinic_outcomes(
            db, clock, clinic_id, NOTHING_ELSE, epsilon=1.0, zone=ZONE
        )
        for row in report.funnel:
            if row.programme in ("aftercare", "waiting-list"):
                # 0, or a dash where another row's small cell needs hiding.
                assert row.codes == 0, row
                assert {row.activations, row.linked, row.active_30} <= {0, None}, row
