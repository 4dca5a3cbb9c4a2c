"""The person's side of referral codes, and the outcomes staff see: never one person's data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta

import httpx
import pytest

from fotfeste.clock import FixedClock
from tests.api.conftest import Person
from tests.conftest import LiveServer
from tests.staff_portal import StaffClient, StaffUser, add_staff


@pytest.fixture
def clinic(live_server: LiveServer) -> Iterator[tuple[StaffUser, StaffClient]]:
    user = add_staff(live_server.settings)
    client = StaffClient(live_server.url)
    client.sign_in(user)
    yield user, client
    client.close()


def test_accept_links_and_counts_an_activation(
    clinic: tuple[StaffUser, StaffClient], person: Person
) -> None:
    user, staff = clinic
    code = staff.create_code("waiting-list")
    assert person.get("/api/me/clinic-link").json() == {"linked": False}
    answer = person.post("/api/me/clinic-link", json={"code": code.lower(), "accept": True})
    assert answer.status_code == 200
    link = answer.json()
    assert link["linked"] is True and link["code"] == code and link["clinic"] == user.clinic
    assert link["programme"] == "waiting-list" and link["contacts"]["phone"] == "08-123 456 78"
    assert person.get("/api/me/clinic-link").json()["code"] == code
    # Accepting again changes nothing and counts nothing twice.
    person.post("/api/me/clinic-link", json={"code": code, "accept": True})
    assert _funnel(staff)["waiting-list"]["activations"] == "–"  # 1 person: suppressed
    export = person.get("/api/me/export").json()["tables"]
    assert export["clinic_links"][0]["code"] == code


def test_decline_links_nothing(clinic: tuple[StaffUser, StaffClient], person: Person) -> None:
    _, staff = clinic
    code = staff.create_code()
    answer = person.post("/api/me/clinic-link", json={"code": code, "accept": False})
    assert answer.status_code == 200 and answer.json()["linked"] is False


def test_unlink_any_time(clinic: tuple[StaffUser, StaffClient], person: Person) -> None:
    _, staff = clinic
    code = staff.create_code()
    person.post("/api/me/clinic-link", json={"code": code, "accept": True})
    assert person.delete("/api/me/clinic-link").status_code == 204
    assert person.get("/api/me/clinic-link").json()["linked"] is False
    assert person.delete("/api/me/clinic-link").status_code == 204  # already gone: still fine


def test_code_typed_at_onboarding_is_offered_until_answered(
    clinic: tuple[StaffUser, StaffClient], person_factory: Callable[..., Person]
) -> None:
    _, staff = clinic
    code = staff.create_code()
    person = person_factory(referral_code=code.replace("-", " ").lower())
    assert person.get("/api/me/clinic-link").json()["pending_code"] == code
    person.post("/api/me/clinic-link", json={"code": code, "accept": False})
    assert person.get("/api/me/clinic-link").json() == {"linked": False}
    stranger = person_factory(referral_code="KMR-0000")  # not a code: nothing to offer
    assert stranger.get("/api/me/clinic-link").json() == {"linked": False}


def test_revoked_and_unknown_codes_cannot_be_accepted(
    clinic: tuple[StaffUser, StaffClient], person: Person, http: httpx.Client
) -> None:
    _, staff = clinic
    code = staff.create_code()
    staff.submit(f"/staff/codes/{code}", f"/staff/codes/{code}/revoke", {})
    for bad in (code, "KMR-2222", "nonsense"):
        answer = person.post("/api/me/clinic-link", json={"code": bad, "accept": True})
        assert answer.status_code == 404 and "no longer in use" in answer.json()["detail"]
    assert http.get("/api/referrals/KMR-2222").status_code == 404
    assert http.get("/api/referrals/..%2F..").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"code": "KMR-2222"},
        {"accept": True},
        {"code": "", "accept": True},
        {"code": "KMR-2222", "accept": "yes"},
        {"code": "KMR-2222", "accept": True, "name": "Kim"},
    ],
)
def test_link_request_is_validated(person: Person, body: dict[str, object]) -> None:
    answer = person.post("/api/me/clinic-link", json=body)
    assert answer.status_code == 400


def test_linking_needs_an_account(http: httpx.Client) -> None:
    assert http.get("/api/me/clinic-link").status_code == 401
    assert (
        http.post("/api/me/clinic-link", json={"code": "KMR-2222", "accept": True}).status_code
        == 401
    )
    assert http.delete("/api/me/clinic-link").status_code == 401


def test_deleting_the_account_removes_the_link(
    clinic: tuple[StaffUser, StaffClient], person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    user, staff = clinic
    code = staff.create_code()
    people = [person_factory() for _ in range(5)]
    for p in people:
        p.post("/api/me/clinic-link", json={"code": code, "accept": True})
    assert _funnel(staff)["aftercare"]["linked"] == "5"
    assert people[0].delete("/api/me").status_code == 204
    assert _funnel(staff)["aftercare"]["linked"] == "5"  # this month's figures stay as made
    _next_month(clock, (user, staff), people[1:])
    funnel = _funnel(staff)
    assert funnel["aftercare"]["linked"] == "–"  # 4 left
    assert funnel["aftercare"]["activations"] == "5"  # the count of acceptances stays


# --- outcomes and suppression ----------------------------------------------------------------
def _next_month(
    clock: FixedClock, clinic: tuple[StaffUser, StaffClient], people: Sequence[Person]
) -> None:
    """Outcomes are released once a month: move on a month, so the next look is a new release.

    The people open the app (they stay active) and the staff member logs in again.
    """
    clock.advance(timedelta(days=31))
    for person in people:
        assert person.get("/api/me").status_code == 200
    user, staff = clinic
    assert staff.login(user.email, user.password).status_code == 303


def _funnel(staff: StaffClient) -> dict[str, dict[str, str]]:
    """The funnel as staff download it (CSV), programme -> statistic -> value."""
    answer = staff.get("/staff/outcomes.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["section"] == "funnel":
            value = "–" if row["value"].startswith("suppressed") else row["value"]
            out.setdefault(row["programme"], {})[row["statistic"]] = value
    return out


def _link_people(person_factory: Callable[..., Person], code: str, count: int) -> list[Person]:
    people = [person_factory() for _ in range(count)]
    for p in people:
        assert p.post("/api/me/clinic-link", json={"code": code, "accept": True}).status_code == 200
    return people


def test_four_people_show_nothing_five_show(
    clinic: tuple[StaffUser, StaffClient], person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    _, staff = clinic
    code = staff.create_code("clinic-16")
    four = _link_people(person_factory, code, 4)
    funnel = _funnel(staff)
    assert funnel["clinic-16"] == {
        "codes_issued": "1",
        "activations": "–",
        "linked": "–",
        "active_30": "–",
    }
    assert funnel["total"]["linked"] == "–"  # the total would tell it
    page = staff.get("/staff/outcomes").text
    assert 'data-programme="clinic-16"' in page and ">4<" not in page
    fifth = _link_people(person_factory, code, 1)
    _next_month(clock, clinic, [*four, *fifth])
    funnel = _funnel(staff)
    assert funnel["clinic-16"] == {
        "codes_issued": "1",
        "activations": "5",
        "linked": "5",
        "active_30": "5",
    }
    assert funnel["total"]["linked"] == "5"


def test_secondary_suppression_across_programmes(
    clinic: tuple[StaffUser, StaffClient], person_factory: Callable[..., Person]
) -> None:
    _, staff = clinic
    _link_people(person_factory, staff.create_code("aftercare"), 6)
    _link_people(person_factory, staff.create_code("waiting-list"), 3)
    _link_people(person_factory, staff.create_code("clinic-16"), 5)
    funnel = _funnel(staff)
    # 3 on the waiting list is hidden; so is the next smallest (5), or 14 - 6 - 5 would give it.
    assert funnel["waiting-list"]["linked"] == "–"
    assert funnel["clinic-16"]["linked"] == "–"
    assert funnel["aftercare"]["linked"] == "6" and funnel["total"]["linked"] == "14"


def test_no_page_or_download_ever_names_a_person(
    clinic: tuple[StaffUser, StaffClient], person_factory: Callable[..., Person]
) -> None:
    _, staff = clinic
    code = staff.create_code()
    people = _link_people(person_factory, code, 6)
    pages = [
        staff.get(path).text
        for path in (
            "/staff/outcomes",
            "/staff/outcomes.csv",
            "/staff/codes",
            f"/staff/codes/{code}",
            f"/staff/codes/{code}/card",
            "/staff/audit",
            f"/staff/outcomes?account_id={people[0].account_id}",
            f"/staff/outcomes.csv?programme=aftercare&account={people[0].account_id}",
        )
    ]
    for person in people:
        for page in pages:
            assert person.account_id not in page
    # Nothing in the portal answers for a single account.
    for path in (
        f"/staff/people/{people[0].account_id}",
        f"/staff/outcomes/{people[0].account_id}",
    ):
        assert staff.get(path).status_code == 404


def test_a_few_who_left_cannot_be_worked_out(
    clinic: tuple[StaffUser, StaffClient], person_factory: Callable[..., Person]
) -> None:
    _, staff = clinic
    people = _link_people(person_factory, staff.create_code("aftercare"), 6)
    assert people[0].delete("/api/me/clinic-link").status_code == 204
    funnel = _funnel(staff)["aftercare"]
    # 6 accepted, 5 still linked would say that 1 person left: "linked" is hidden.
    assert funnel["activations"] == "6" and funnel["linked"] == "–"
