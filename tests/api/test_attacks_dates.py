"""Attacks with dates: year 1 and year 9999 are refused by name, and an account whose stored data
is already broken (legacy rows) stops nobody else's reminders, follow-ups or staff figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fotfeste.settings import Settings
from tests.api.conftest import Person, sign_up
from tests.api.push_support import subscribe, tick
from tests.conftest import DEFAULT_NOW, LiveServer
from tests.push_fake import FakePushService
from tests.server import database_session
from tests.staff_portal import StaffClient, add_staff

TODAY = DEFAULT_NOW.date()  # 2026-03-16 in Stockholm
THREE_YEARS_BACK = (TODAY - timedelta(days=3 * 365 + 1)).isoformat()
THREE_YEARS_AHEAD = (TODAY + timedelta(days=3 * 365 + 1)).isoformat()


@pytest.mark.parametrize("far", ["0001-01-01", THREE_YEARS_BACK, "9999-12-31", THREE_YEARS_AHEAD])
def test_every_date_a_person_sends_is_bounded(person: Person, far: str) -> None:
    """Each route that takes a date answers 400 naming the field, and nothing is stored."""
    cases = [
        ("PUT", "/api/treatment", {"json": {"status": "in_treatment", "since": far}}, "since"),
        (
            "PUT",
            "/api/me/programme",
            {"json": {"programme": "aftercare", "start_date": far}},
            "start_date",
        ),
        ("PUT", f"/api/checkins/{far}", {"json": {"used": False}}, "date"),
        ("POST", "/api/me/attendance", {"json": {"date": far}}, "date"),
    ]
    if far != THREE_YEARS_BACK:
        # A sobriety date, and so a history, may lie many years back (1900 onwards); the
        # meeting log is read ten years back. Year 1 and anything years ahead are refused.
        cases += [
            ("PUT", "/api/sobriety", {"json": {"start_date": far}}, "start_date"),
            ("GET", "/api/checkins", {"params": {"to": far}}, "to"),
            ("GET", "/api/checkins", {"params": {"from": far, "to": TODAY.isoformat()}}, "from"),
            ("GET", "/api/me/attendance", {"params": {"to": far}}, "to"),
        ]
    for method, path, kw, field in cases:
        answer = person.client.request(method, path, **kw)  # type: ignore[arg-type]
        assert answer.status_code == 400, (method, path, far, answer.status_code, answer.text)
        assert field in answer.text, (path, answer.text)
    assert person.get("/api/treatment").json()["status"] == "none"
    followups = person.get("/api/followups")
    assert followups.status_code == 200
    assert followups.json()["start_date"] == TODAY.isoformat()


def test_dates_within_two_years_still_work(person: Person) -> None:
    back = (TODAY - timedelta(days=700)).isoformat()
    answer = person.put("/api/treatment", json={"status": "in_treatment", "since": back})
    assert answer.status_code == 200, answer.text
    assert answer.json()["since"] == back
    assert (
        person.get("/api/checkins", params={"from": back, "to": TODAY.isoformat()}).status_code
        == 200
    )


# What an older server let in: a follow-up programme that began in year 1 (account id last).
_POISON = [
    (
        "INSERT INTO enrolments (programme, start_date, account_id) VALUES (?, ?, ?)"
        " ON CONFLICT (account_id) DO UPDATE SET start_date = excluded.start_date",
        ("waiting-list", "0001-01-01"),
    ),
    ("UPDATE treatment_status SET since = '0001-01-01' WHERE account_id = ?", ()),
]


def _poison(settings: Settings, account_id: str) -> None:
    """_POISON written into a stopped server's database (on either engine)."""
    with database_session(settings) as db:
        for sql, params in _POISON:
            db.execute(sql, (*params, account_id))


def test_one_accounts_legacy_year_one_date_stops_nobody_elses_reminder(
    server_factory: Callable[..., LiveServer], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "legacy"
    first = server_factory(data_dir=data_dir)
    clock = first.clock  # the restarted server is given the same clock, as the fake checks tokens
    fake = FakePushService(subject=first.settings.vapid_subject, now=clock.now).start()
    try:
        broken, zoneless, other = sign_up(first.url), sign_up(first.url), sign_up(first.url)
        subs = {p.account_id: subscribe(p, fake) for p in (broken, zoneless, other)}
        assert broken.put("/api/treatment", json={"status": "waiting"}).status_code == 200
        for person in (broken, zoneless, other):
            for kind in ("followup", "checkin", "milestone"):
                answer = person.put(
                    f"/api/reminders/{kind}", json={"enabled": True, "time": "10:00"}
                )
                assert answer.status_code == 200, answer.text
        first.stop()
        _poison(first.settings, broken.account_id)
        with database_session(first.settings) as db:  # any other data no code expects
            db.execute(
                "UPDATE accounts SET timezone = 'Mars/Olympus' WHERE id = ?", (zoneless.account_id,)
            )

        server = server_factory(clock, data_dir=data_dir)  # the poisoned row is already there
        for person in (broken, zoneless, other):
            person.client.base_url = server.url  # type: ignore[assignment]
        server.clock.set(datetime(2026, 3, 17, 9, 0, 5, tzinfo=UTC))  # 10:00 in Stockholm
        caplog.clear()
        tick(server)
        assert fake.wait_for(lambda: len(fake.delivered_to(subs[other.account_id])) >= 1)
        kinds = {m["kind"] for m in fake.delivered_to(subs[other.account_id])}
        assert "checkin" in kinds
        # The broken account's own follow-ups answer, and its reminders moved on.
        answer = broken.get("/api/followups")
        assert answer.status_code == 200, answer.text
        reminders = broken.get("/api/reminders").json()["reminders"]
        assert all(r["next_fire_at"] > "2026-03-17T09:00:05" for r in reminders if r["enabled"])
        # What was logged names no account.
        assert "could not be scheduled" in caplog.text
        for person in (broken, zoneless, other):
            assert person.account_id not in caplog.text
        # The next pass does not trip over it again.
        server.clock.set(datetime(2026, 3, 18, 9, 0, 5, tzinfo=UTC))
        tick(server)
        assert fake.wait_for(lambda: len(fake.delivered_to(subs[other.account_id])) >= 2)
    finally:
        fake.stop()


def test_a_year_one_person_does_not_take_down_the_clinics_outcomes(
    live_server: LiveServer, person_factory: Callable[..., Person]
) -> None:
    staff = StaffClient(live_server.url)
    staff.sign_in(add_staff(live_server.settings))
    code = staff.create_code("clinic-16")
    people = [person_factory(locale="da", timezone="Europe/Copenhagen") for _ in range(6)]
    for person in people:
        assert (
            person.post("/api/me/clinic-link", json={"code": code, "accept": True}).status_code
            == 200
        )
        answer = person.post(
            "/api/responses",
            json={"instrument": "checkup", "answers": {"1": 5, "2": 3, "3": 6}},
        )
        assert answer.status_code == 201, answer.text
    for sql, params in _POISON:  # through the server's own writer: it is running
        live_server.execute(sql, (*params, people[0].account_id))
    live_server.execute(  # data no code expects
        "UPDATE accounts SET timezone = 'Mars/Olympus' WHERE id = ?", (people[1].account_id,)
    )
    page = staff.get("/staff/outcomes")
    assert page.status_code == 200, page.text[:500]
    csv = staff.get("/staff/outcomes.csv")
    assert csv.status_code == 200, csv.text[:500]
    assert "clinic-16,funnel,,,,linked" in csv.text
    assert people[0].get("/api/followups").status_code == 200
    staff.close()
    # The shared server's other tests must not meet the zone no code expects.
    live_server.execute("DELETE FROM accounts WHERE id = ?", (people[1].account_id,))
