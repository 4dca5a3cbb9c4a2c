"""Outcomes with the real scales domain: linking sets the programme, check-ups feed the figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fotfeste.clock import FixedClock
from tests.api.conftest import Person
from tests.conftest import LiveServer
from tests.staff_portal import StaffClient, add_staff

BEFORE = [10, 8, 7, 8, 6, 5]
AFTER = [4, 7, 3, 10, 1, 2]


def _checkup(person: Person, burden: int, days: int, belief: int) -> None:
    answer = person.post(
        "/api/responses",
        json={"instrument": "checkup", "answers": {"1": burden, "2": days, "3": belief}},
    )
    assert answer.status_code == 201, answer.text


def test_linking_follows_the_programme_and_outcomes_show_the_changes(
    live_server: LiveServer, person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    staff = StaffClient(live_server.url)
    user = add_staff(live_server.settings)
    staff.sign_in(user)
    code = staff.create_code("clinic-16")
    people = [person_factory(locale="da", timezone="Europe/Copenhagen") for _ in range(6)]
    for person, before in zip(people, BEFORE, strict=True):
        assert person.post("/api/me/clinic-link", json={"code": code, "accept": True}).status_code == 200
        followups = person.get("/api/followups").json()["followups"]
        assert [f["status"] for f in followups][:1] == ["due"]  # the intake talk, today
        _checkup(person, before, 12, 4)
    clock.advance(timedelta(weeks=8))
    for person, after in zip(people, AFTER, strict=True):
        _checkup(person, after, 3, 7)
    clock.advance(timedelta(weeks=3))  # the midway window has closed
    assert staff.login(user.email, user.password).status_code == 303  # the session had expired
    page = staff.get("/staff/outcomes").text
    assert "Not yet available: follow-up answers" not in page
    csv_text = staff.get("/staff/outcomes.csv").text
    assert "clinic-16,followup_completion,,intake,,completed,6" in csv_text
    assert "clinic-16,change_from_baseline,burden,w8,,median_change,-3.5" in csv_text
    assert "clinic-16,change_from_baseline,burden,w8,,p_value,0.09375" in csv_text
    assert "clinic-16,change_from_baseline,days_used,w8,,median_change,-9" in csv_text
    for person in people:
        assert person.account_id not in page and person.account_id not in csv_text
    staff.close()
