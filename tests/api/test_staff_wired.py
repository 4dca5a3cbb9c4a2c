"""Outcomes with the real scales and meetings domains: linking sets the programme, check-ups
and the meeting log feed the figures staff see, and nothing names a person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from fotfeste.clock import FixedClock
from tests.api.conftest import Person
from tests.conftest import LiveServer
from tests.staff_portal import StaffClient, add_staff

# The hand-computed example of tests/unit/test_staff.py, within the check-up's 0–10 range:
# differences -6 -1 -4 +2 -5 -3, W = 2, exact two-sided p = 6/64, median change -3.5.
BEFORE = [10, 8, 7, 8, 6, 5]
AFTER = [4, 7, 3, 10, 1, 2]
MEETING_DAYS = ["2026-04-20", "2026-04-27", "2026-05-04", "2026-05-08", "2026-05-11"]


def _checkup(person: Person, burden: int, days: int, belief: int) -> None:
    answer = person.post(
        "/api/responses",
        json={"instrument": "checkup", "answers": {"1": burden, "2": days, "3": belief}},
    )
    assert answer.status_code == 201, answer.text


def _figures(staff: StaffClient) -> set[str]:
    answer = staff.get("/staff/outcomes.csv")
    assert answer.status_code == 200
    return set(answer.text.splitlines())


@pytest.mark.slow
def test_linking_follows_the_programme_and_outcomes_show_the_changes(
    live_server: LiveServer, person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    staff = StaffClient(live_server.url)
    user = add_staff(live_server.settings)
    staff.sign_in(user)
    code = staff.create_code("clinic-16")
    people = [person_factory(locale="da", timezone="Europe/Copenhagen") for _ in range(10)]
    for i, person in enumerate(people):
        answer = person.post("/api/me/clinic-link", json={"code": code, "accept": True})
        assert answer.status_code == 200
        # Linking put the account on the clinic's 16-week programme from today.
        followups = person.get("/api/followups").json()
        assert followups["programme"] == "clinic-16"
        assert followups["followups"][0]["status"] == "due"  # the intake talk
        _checkup(person, BEFORE[i] if i < 6 else 5, 12 if i < 6 else 20, 4)

    clock.advance(timedelta(weeks=8))  # 2026-05-11: the midway talk
    for i, person in enumerate(people[:6]):
        if i < 5:  # five of them went to a meeting about once a week
            for day in MEETING_DAYS:
                assert person.post("/api/me/attendance", json={"date": day}).status_code == 201
        _checkup(person, AFTER[i], 3, 7)
    clock.advance(timedelta(weeks=3))  # the midway window has closed; four missed it

    assert staff.login(user.email, user.password).status_code == 303  # the session had expired
    page = staff.get("/staff/outcomes").text
    assert "Not yet available" not in page
    figures = _figures(staff)
    expected = {
        "clinic-16,funnel,,,,linked,10",
        "clinic-16,followup_completion,,intake,,eligible,10",
        "clinic-16,followup_completion,,intake,,completed,10",
        # 6 of 10 at the midway talk: the 4 who missed it are a small cell, so both are hidden.
        "clinic-16,followup_completion,,w8,,eligible,10",
        "clinic-16,followup_completion,,w8,,completed,suppressed (<5)",
        "clinic-16,change_from_baseline,burden,w8,,n_pairs,6",
        "clinic-16,change_from_baseline,burden,w8,,median_baseline,7.5",
        "clinic-16,change_from_baseline,burden,w8,,median_followup,3.5",
        "clinic-16,change_from_baseline,burden,w8,,median_change,-3.5",
        # 6 pairs: too few for one person not to move the test, so its p is not shown.
        "clinic-16,change_from_baseline,burden,w8,,wilcoxon_p,"
        '"not shown (under 50 pairs, or one person could change it)"',
        "clinic-16,change_from_baseline,days_used,w8,,median_change,-9",
        "clinic-16,change_from_baseline,belief,w8,,median_change,3",
        # Days with use at each person's latest follow-up, by meetings in the 30 days before it.
        "clinic-16,days_used_by_attendance,days_used,latest,regular,n,5",
        "clinic-16,days_used_by_attendance,days_used,latest,regular,median,3",
        "clinic-16,days_used_by_attendance,days_used,latest,not_regular,n,5",
        "clinic-16,days_used_by_attendance,days_used,latest,not_regular,median,20",
        "clinic-16,days_used_by_attendance,days_used,latest,total,n,10",
    }
    assert expected <= figures, sorted(expected - figures)
    for person in people:
        assert person.account_id not in page and all(person.account_id not in f for f in figures)

    # One person leaves: this month's release stays as it was made (nothing new to compare).
    assert people[0].delete("/api/me/clinic-link").status_code == 204
    assert _figures(staff) == figures
    # Next month's release: the regular group falls to 4 and is hidden, with its complement.
    clock.advance(timedelta(days=31))
    assert staff.login(user.email, user.password).status_code == 303
    figures = _figures(staff)
    assert "clinic-16,days_used_by_attendance,days_used,latest,regular,n,suppressed (<5)" in figures
    assert (
        "clinic-16,days_used_by_attendance,days_used,latest,not_regular,n,suppressed (<5)"
        in figures
    )
    staff.close()
