"""The staff portal over HTTP: CLI, login, lockout, sessions, CSRF, codes, audit and outcomes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest

from fotfeste.clock import FixedClock
from tests.conftest import LiveServer
from tests.staff_portal import NEW_PASSWORD, StaffClient, StaffUser, add_staff, csrf_of, fotfeste


@pytest.fixture
def staff_client(live_server: LiveServer) -> Iterator[Callable[[], StaffClient]]:
    made: list[StaffClient] = []

    def make() -> StaffClient:
        client = StaffClient(live_server.url)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def signed_in(
    live_server: LiveServer, staff_client: Callable[[], StaffClient]
) -> tuple[StaffUser, StaffClient]:
    user = add_staff(live_server.settings)
    client = staff_client()
    client.sign_in(user)
    return user, client


# --- the CLI ------------------------------------------------------------------------------
def test_cli_adds_clinic_and_user_with_a_one_time_password(live_server: LiveServer) -> None:
    user = add_staff(live_server.settings)
    assert len(user.password.replace("-", "")) == 20
    code, out = fotfeste(live_server.settings, "staff", "add-clinic", user.clinic)
    assert code == 1 and "already exists" in out
    code, out = fotfeste(
        live_server.settings, "staff", "add-user", "--clinic", user.clinic, "--email", user.email
    )
    assert code == 1 and "already exists" in out
    code, out = fotfeste(
        live_server.settings, "staff", "add-user", "--clinic", "Nowhere", "--email", "a@b.se"
    )
    assert code == 1 and "No clinic" in out
    code, out = fotfeste(
        live_server.settings, "staff", "add-user", "--clinic", user.clinic, "--email", "not-mail"
    )
    assert code == 1 and "not an e-mail" in out


# --- login, password, lockout, sessions ----------------------------------------------------------
def test_one_time_password_leads_to_password_change_first(
    live_server: LiveServer, staff_client: Callable[[], StaffClient]
) -> None:
    user = add_staff(live_server.settings)
    client = staff_client()
    answer = client.login(user.email.upper(), user.password)
    assert answer.status_code == 303
    for page in ("/staff/codes", "/staff/outcomes", "/staff/audit"):
        assert client.get(page).headers["location"] == "/staff/password"
    answer = client.submit(
        "/staff/password",
        "/staff/password",
        {"current": user.password, "new": "short", "repeat": "short"},
    )
    assert answer.status_code == 400 and "too short" in answer.text
    answer = client.submit(
        "/staff/password",
        "/staff/password",
        {"current": "wrong", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert answer.status_code == 400 and "current password is not right" in answer.text
    answer = client.submit(
        "/staff/password",
        "/staff/password",
        {"current": user.password, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert answer.status_code == 303
    assert client.get("/staff/codes").status_code == 200
    # The one-time password is dead; the new one works.
    other = staff_client()
    assert other.login(user.email, user.password).status_code == 401
    assert other.login(user.email, NEW_PASSWORD).status_code == 303


def test_session_cookie_is_httponly_and_strict(
    signed_in: tuple[StaffUser, StaffClient], staff_client: Callable[[], StaffClient]
) -> None:
    user, _ = signed_in
    answer = staff_client().login(user.email, user.password)
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("fotfeste_staff=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # the test server's public URL is plain http
    assert answer.headers["cache-control"] == "no-store" or "location" in answer.headers


def test_cookie_is_secure_behind_https(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(public_url="https://fotfeste.example")
    user = add_staff(server.settings)
    client = StaffClient(server.url)
    page = client.get("/staff/login")
    login_cookie = page.headers["set-cookie"]
    assert login_cookie.startswith("__Host-fotfeste_staff_login=") and "Secure" in login_cookie
    # httpx keeps Secure cookies off plain http, as a browser would: send the token by hand.
    client.http.cookies.set(
        "__Host-fotfeste_staff_login", login_cookie.split(";")[0].split("=", 1)[1]
    )
    answer = client.http.post(
        "/staff/login",
        data={"csrf": csrf_of(page.text), "email": user.email, "password": user.password},
    )
    assert answer.status_code == 303
    session_cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("__Host-fotfeste_staff=")
    )
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    client.close()


def test_wrong_password_and_unknown_email_read_the_same(
    signed_in: tuple[StaffUser, StaffClient], staff_client: Callable[[], StaffClient]
) -> None:
    user, _ = signed_in
    client = staff_client()
    wrong = client.login(user.email, "not the password")
    unknown = client.login("nobody@clinic.example", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "e-mail or password is not right" in wrong.text and "e-mail or password" in unknown.text


def test_an_unknown_address_is_locked_out_like_a_real_one(
    signed_in: tuple[StaffUser, StaffClient],
    staff_client: Callable[[], StaffClient],
    clock: FixedClock,
) -> None:
    """Otherwise "locked" after five tries would tell which addresses have an account."""
    user, _ = signed_in
    client = staff_client()
    unknown = f"nobody-{user.email}"  # the live server is shared: an address of this test's own
    answers = {}
    for email in (user.email, unknown):
        answers[email] = [client.login(email, "guess").status_code for _ in range(6)]
    assert answers[user.email] == answers[unknown] == [401] * 4 + [429] * 2
    locked = client.login(unknown, "guess")
    assert "15 minutes" in locked.text
    clock.advance(timedelta(minutes=16))
    assert client.login(unknown, "guess").status_code == 401


def test_lockout_after_five_failures_lifts_after_15_minutes(
    signed_in: tuple[StaffUser, StaffClient],
    staff_client: Callable[[], StaffClient],
    clock: FixedClock,
) -> None:
    user, _ = signed_in
    client = staff_client()
    for _ in range(4):
        assert client.login(user.email, "guess").status_code == 401
    locked = client.login(user.email, "guess")
    assert locked.status_code == 429 and "15 minutes" in locked.text
    assert client.login(user.email, user.password).status_code == 429
    clock.advance(timedelta(minutes=14))
    assert client.login(user.email, user.password).status_code == 429
    clock.advance(timedelta(minutes=2))
    assert client.login(user.email, user.password).status_code == 303


def test_session_expires_after_30_idle_minutes(
    signed_in: tuple[StaffUser, StaffClient], clock: FixedClock
) -> None:
    _, client = signed_in
    clock.advance(timedelta(minutes=25))
    assert client.get("/staff/codes").status_code == 200  # use keeps it alive
    clock.advance(timedelta(minutes=25))
    assert client.get("/staff/codes").status_code == 200
    clock.advance(timedelta(minutes=31))
    answer = client.get("/staff/codes")
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/login"


def test_session_ends_after_ten_hours_however_busy(
    signed_in: tuple[StaffUser, StaffClient], clock: FixedClock
) -> None:
    _, client = signed_in
    answers = []
    for _ in range(22):  # 22 x 29 minutes: past ten hours, never idle for 30 minutes
        clock.advance(timedelta(minutes=29))
        answers.append(client.get("/staff/codes").status_code)
    assert answers[:20] == [200] * 20 and answers[-1] == 303


def test_logout_kills_the_session_on_the_server(signed_in: tuple[StaffUser, StaffClient]) -> None:
    _, client = signed_in
    cookie = client.http.cookies["fotfeste_staff"]
    answer = client.submit("/staff/codes", "/staff/logout", {})
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/login"
    replay = httpx.get(
        client.http.base_url.join("/staff/codes"), cookies={"fotfeste_staff": cookie}, timeout=10
    )
    assert replay.status_code == 303 and replay.headers["location"] == "/staff/login"


# --- CSRF ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("/staff/codes", {"programme": "aftercare", "locale": "sv"}),
        ("/staff/logout", {}),
        ("/staff/language", {"locale": "da"}),
        ("/staff/password", {"current": NEW_PASSWORD, "new": "x" * 20, "repeat": "x" * 20}),
    ],
)
def test_every_form_refuses_a_post_without_its_token(
    signed_in: tuple[StaffUser, StaffClient], action: str, fields: dict[str, str]
) -> None:
    _, client = signed_in
    for token in (None, "forged"):
        data = fields if token is None else {**fields, "csrf": token}
        answer = client.http.post(action, data=data)
        assert answer.status_code == 403 and "Nothing was changed" in answer.text
    assert client.get("/staff/codes").status_code == 200  # still signed in: logout did not happen
    assert "<tbody>" not in client.get("/staff/codes").text  # and no code was created


def test_revoke_and_login_refuse_posts_without_a_token(
    signed_in: tuple[StaffUser, StaffClient], staff_client: Callable[[], StaffClient]
) -> None:
    user, client = signed_in
    code = client.create_code()
    assert client.http.post(f"/staff/codes/{code}/revoke", data={}).status_code == 403
    assert "Revoked" not in client.get(f"/staff/codes/{code}").text
    fresh = staff_client()
    fresh.get("/staff/login")  # has the login cookie, but sends no token
    answer = fresh.http.post("/staff/login", data={"email": user.email, "password": user.password})
    assert answer.status_code == 403


# --- codes, cards, revocation, audit ------------------------------------------------------
def test_codes_are_created_shown_publicly_and_revoked(
    signed_in: tuple[StaffUser, StaffClient], http: httpx.Client
) -> None:
    user, client = signed_in
    code = client.create_code("clinic-16", contact_phone="040-22 33 44")
    assert re.fullmatch(r"[AHKLMRX]{3}-[2-9]{4}", code)
    listing = client.get("/staff/codes").text
    assert code in listing and "16-week group" in listing
    public = http.get(f"/api/referrals/{code.lower().replace('-', ' ')}")
    assert public.status_code == 200
    body = public.json()
    assert body["clinic"] == user.clinic and body["programme"] == "clinic-16"
    assert body["contacts"]["phone"] == "040-22 33 44"
    assert body["home_area"] == {"name": "Södermalm", "lat": 59.31, "lon": 18.07}
    assert "checkup_score_changes" in body["shared"] and "identity" in body["never_shared"]
    assert body["min_group"] == 5
    answer = client.submit(f"/staff/codes/{code}", f"/staff/codes/{code}/revoke", {})
    assert answer.status_code == 303
    assert "Revoked" in client.get(f"/staff/codes/{code}").text
    assert http.get(f"/api/referrals/{code}").status_code == 404
    audit = client.get("/staff/audit").text
    assert "Created a code" in audit and "Revoked a code" in audit and code in audit
    assert user.email in audit and "Logged in" in audit


def test_code_form_refuses_bad_fields(signed_in: tuple[StaffUser, StaffClient]) -> None:
    _, client = signed_in
    for fields in (
        {"programme": "detox"},
        {"locale": "de"},
        {"home_lat": "north"},
        {"home_lon": "200"},
    ):
        values = {"programme": "aftercare", "locale": "sv", **fields}
        answer = client.submit("/staff/codes", "/staff/codes", values)
        assert answer.status_code == 400 and "Please check the field" in answer.text


def test_a_refused_code_form_names_the_field_and_keeps_what_was_typed(
    signed_in: tuple[StaffUser, StaffClient],
) -> None:
    """A Swedish page said "Kontrollera fältet: home_lat." and refilled the form with the last
    code's contacts, so the phone, hours and address just typed were gone."""
    _, client = signed_in
    client.create_code("aftercare", contact_phone="08-111 111 11")
    answer = client.submit("/staff/codes", "/staff/language", {"locale": "sv"})
    assert answer.status_code == 303
    typed = {
        "programme": "waiting-list",
        "locale": "nb",
        "contact_phone": "22 33 44 55",
        "contact_hours": "Man–fre 9–15",
        "contact_address": "Storgata 5, Oslo",
        "home_area": "Grünerløkka",
        "home_lat": "59.92 N",
        "home_lon": "10.76",
    }
    answer = client.submit("/staff/codes", "/staff/codes", typed)
    assert answer.status_code == 400
    assert "Kontrollera fältet: Latitud." in answer.text
    assert "home_lat" not in answer.text.split('role="alert"', 1)[1].split("</p>", 1)[0]
    for name in ("contact_phone", "contact_hours", "contact_address", "home_area", "home_lat"):
        assert f'name="{name}"' in answer.text
        assert f'value="{typed[name]}"' in answer.text, name
    assert "08-111 111 11" not in answer.text.split("<form", 1)[1].split("</form>", 1)[0]
    assert '<option value="waiting-list" selected>' in answer.text
    assert '<option value="nb" selected>' in answer.text


def test_another_clinic_never_sees_a_code(
    signed_in: tuple[StaffUser, StaffClient],
    live_server: LiveServer,
    staff_client: Callable[[], StaffClient],
) -> None:
    _, client = signed_in
    code = client.create_code()
    other = staff_client()
    other.sign_in(add_staff(live_server.settings))
    assert other.get(f"/staff/codes/{code}").status_code == 404
    assert other.get(f"/staff/codes/{code}/card").status_code == 404
    answer = other.submit("/staff/codes", f"/staff/codes/{code}/revoke", {})
    assert answer.status_code == 404
    assert "Revoked" not in client.get(f"/staff/codes/{code}").text


def test_card_has_the_qr_code_the_code_and_contacts(
    signed_in: tuple[StaffUser, StaffClient],
) -> None:
    user, client = signed_in
    code = client.create_code(locale="nb", contact_phone="22 33 44 55")
    card = client.get(f"/staff/codes/{code}/card?size=a4")
    assert card.status_code == 200
    assert '<html lang="nb">' in card.text and "Koden din" in card.text
    assert "<svg" in card.text and code in card.text and "22 33 44 55" in card.text
    assert user.clinic in card.text
    assert "style=" not in card.text and "<script" not in card.text
    assert "Your code" in client.get(f"/staff/codes/{code}/card?lang=en").text


def test_a_revoked_code_prints_no_card(signed_in: tuple[StaffUser, StaffClient]) -> None:
    """A card page left open (or reloaded) after revoking printed a code that no longer works:
    it leads to the code's page, which says it is revoked."""
    _, client = signed_in
    code = client.create_code()
    assert client.get(f"/staff/codes/{code}/card").status_code == 200
    client.submit(f"/staff/codes/{code}", f"/staff/codes/{code}/revoke", {})
    for query in ("", "?size=a4", "?size=a6&lang=da"):
        card = client.get(f"/staff/codes/{code}/card{query}")
        assert card.status_code == 303, query
        assert card.headers["location"] == f"/staff/codes/{code}"
        assert "<svg" not in card.text
    assert "Revoked" in client.get(f"/staff/codes/{code}").text


def test_staff_pages_are_in_four_languages(signed_in: tuple[StaffUser, StaffClient]) -> None:
    _, client = signed_in
    for locale, title in (
        ("sv", "Hänvisningskoder"),
        ("nb", "Henvisningskoder"),
        ("da", "Henvisningskoder"),
        ("en", "Referral codes"),
    ):
        page = client.get(f"/staff/codes?lang={locale}").text
        assert f'<html lang="{locale}">' in page and title in page
    answer = client.submit(
        "/staff/codes", "/staff/language", {"locale": "da", "next": "/staff/audit"}
    )
    assert answer.headers["location"] == "/staff/audit"
    assert "Hændelseslog" in client.get("/staff/audit").text
    assert (
        "Logga in" in httpx.get(client.http.base_url.join("/staff/login?lang=sv"), timeout=10).text
    )


def test_pages_need_a_session(http: httpx.Client) -> None:
    for page in (
        "/staff/codes",
        "/staff/outcomes",
        "/staff/outcomes.csv",
        "/staff/audit",
        "/staff/codes/KMR-4827/card",
    ):
        answer = http.get(page, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/staff/login"
    assert http.get("/staff/static/staff.css").status_code == 200
