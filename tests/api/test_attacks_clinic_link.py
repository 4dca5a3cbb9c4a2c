"""Issue 22, findings 7 and 9: guessing referral codes through the clinic link, activations
counted once per account and code, and the staff lockout of unknown addresses across a restart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import httpx

from fotfeste.settings import RateLimit
from tests.api.conftest import Person, sign_up
from tests.conftest import LiveServer
from tests.staff_portal import StaffClient, add_staff

GUESSES = [f"KMR-{n:04d}" for n in range(2222, 9999) if set(str(n)) <= set("23456789")]


def _link(person: Person, code: str) -> int:
    return person.post("/api/me/clinic-link", json={"code": code, "accept": True}).status_code


def _activations(staff: StaffClient) -> dict[str, str]:
    """Programme -> the "accepted" count of the funnel in the staff CSV."""
    answer = staff.get("/staff/outcomes.csv")
    assert answer.status_code == 200
    return {
        row["programme"]: row["value"]
        for row in csv.DictReader(io.StringIO(answer.text))
        if row["section"] == "funnel" and row["statistic"] == "activations"
    }


# --- finding 7: the clinic link is no code oracle ---------------------------------------------
def test_one_account_cannot_keep_guessing_referral_codes(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_clinic_link_account=RateLimit(10, 900))
    guesser = sign_up(server.url)
    try:
        codes = [_link(guesser, code) for code in GUESSES[:40]]
        # Another account from the same address is not slowed by the first one's guesses.
        other = sign_up(server.url)
        other_codes = [_link(other, code) for code in GUESSES[40:42]]
        other.client.close()
    finally:
        guesser.client.close()
    assert codes[:10] == [404] * 10
    assert set(codes[10:]) == {429}
    assert other_codes == [404, 404]


def test_many_accounts_from_one_address_cannot_keep_guessing_referral_codes(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_clinic_link=RateLimit(12, 900))
    people = [sign_up(server.url) for _ in range(4)]
    try:
        codes = []
        for n, person in enumerate(people):
            person.client.headers["X-Forwarded-For"] = "203.0.113.9"
            codes += [_link(person, code) for code in GUESSES[n * 6 : n * 6 + 6]]
        elsewhere = people[0]
        elsewhere.client.headers["X-Forwarded-For"] = "203.0.113.10"
        other_address = _link(elsewhere, GUESSES[30])
    finally:
        for person in people:
            person.client.close()
    assert codes[:12] == [404] * 12
    assert set(codes[12:]) == {429}
    assert other_address == 404


def test_looking_codes_up_without_an_account_is_limited_alike(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_clinic_link=RateLimit(12, 900))
    with httpx.Client(base_url=server.url, timeout=10) as anonymous:
        codes = [anonymous.get(f"/api/referrals/{code}").status_code for code in GUESSES[:30]]
        other = anonymous.get(
            f"/api/referrals/{GUESSES[31]}", headers={"X-Forwarded-For": "203.0.113.11"}
        )
    assert codes[:12] == [404] * 12
    assert set(codes[12:]) == {429}
    assert other.status_code == 404


def test_the_throttle_answers_with_retry_after_even_for_a_real_code(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_clinic_link_account=RateLimit(2, 900))
    user = add_staff(server.settings)
    staff = StaffClient(server.url)
    person = sign_up(server.url)
    try:
        staff.sign_in(user)
        code = staff.create_code()
        assert [_link(person, guess) for guess in GUESSES[:2]] == [404, 404]
        refused = person.post("/api/me/clinic-link", json={"code": code, "accept": True})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert "try again" in refused.json()["detail"]
    finally:
        staff.close()
        person.client.close()


def test_relinking_counts_one_activation_per_account_and_code(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory()
    user = add_staff(server.settings)
    staff = StaffClient(server.url)
    people = [sign_up(server.url) for _ in range(5)]
    try:
        staff.sign_in(user)
        aftercare = staff.create_code("aftercare")
        waiting = staff.create_code("waiting-list")
        for person in people:
            for _ in range(3):  # link, leave, link again: one person, one activation
                assert _link(person, aftercare) == 200
                assert person.delete("/api/me/clinic-link").status_code == 204
            assert _link(person, aftercare) == 200
        # Moving to another code and back counts the other code once, and this one not again.
        for person in people:
            assert _link(person, waiting) == 200
            assert _link(person, aftercare) == 200
            assert (
                person.post(
                    "/api/me/clinic-link", json={"code": aftercare, "accept": False}
                ).status_code
                == 200
            )
            assert _link(person, aftercare) == 200
        activations = _activations(staff)
    finally:
        staff.close()
        for person in people:
            person.client.close()
    assert activations["aftercare"] == "5"
    assert activations["waiting-list"] == "5"


# --- finding 9: unknown addresses lock out like real ones, also after a restart ---------------
def test_unknown_and_real_addresses_answer_alike_after_a_restart(
    server_factory: Callable[..., LiveServer],
) -> None:
    first = server_factory()
    data_dir = first.settings.data_dir
    user = add_staff(first.settings)
    unknown = f"nobody-{user.email}"
    client = StaffClient(first.url)
    try:
        before = {
            email: [client.login(email, "guess").status_code for _ in range(3)]
            for email in (user.email, unknown)
        }
    finally:
        client.close()
    first.stop()

    second = server_factory(data_dir=data_dir)
    client = StaffClient(second.url)
    try:
        after = {
            email: [client.login(email, "guess").status_code for _ in range(3)]
            for email in (user.email, unknown)
        }
    finally:
        client.close()
    assert before[user.email] == before[unknown] == [401, 401, 401]
    # Two more failures lock either address; the lock holds for both.
    assert after[user.email] == after[unknown] == [401, 429, 429]
