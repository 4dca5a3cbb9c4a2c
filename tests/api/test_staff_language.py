"""The staff portal's language follows the login page (or the browser) until one is picked."""

from __future__ import annotations

from tests.conftest import LiveServer
from tests.staff_portal import StaffClient, add_staff


def _signed_up(live_server: LiveServer) -> tuple[StaffClient, str, str]:
    """A staff member who has set a password, then logged out: (client, e-mail, password)."""
    user = add_staff(live_server.settings)
    client = StaffClient(live_server.url)
    client.sign_in(user)
    assert client.submit("/staff/codes", "/staff/logout", {}).status_code == 303
    return client, user.email, user.password


def _login(client: StaffClient, page: str, email: str, password: str) -> None:
    answer = client.submit(page, page, {"email": email, "password": password})
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/codes"


def test_the_swedish_login_page_leads_to_a_swedish_portal(live_server: LiveServer) -> None:
    client, email, password = _signed_up(live_server)
    try:
        _login(client, "/staff/login?lang=sv", email, password)
        page = client.get("/staff/codes").text
        assert '<html lang="sv">' in page and "Hänvisningskoder" in page
        # Not picked, so the next login page's language is followed again.
        client.submit("/staff/codes", "/staff/logout", {})
        _login(client, "/staff/login?lang=nb", email, password)
        assert '<html lang="nb">' in client.get("/staff/codes").text
    finally:
        client.close()


def test_the_browsers_language_without_a_choice(live_server: LiveServer) -> None:
    client, email, password = _signed_up(live_server)
    client.http.headers["accept-language"] = "da-DK,da;q=0.9,en;q=0.5"
    try:
        assert '<html lang="da">' in client.get("/staff/login").text
        _login(client, "/staff/login", email, password)
        assert '<html lang="da">' in client.get("/staff/codes").text
    finally:
        client.close()


def test_a_picked_language_is_kept(live_server: LiveServer) -> None:
    client, email, password = _signed_up(live_server)
    try:
        _login(client, "/staff/login?lang=sv", email, password)
        picked = client.submit("/staff/codes", "/staff/language", {"locale": "nb"})
        assert picked.status_code == 303
        client.submit("/staff/codes", "/staff/logout", {})
        client.http.headers["accept-language"] = "da"
        _login(client, "/staff/login?lang=sv", email, password)
        page = client.get("/staff/codes").text
        assert '<html lang="nb">' in page and "Henvisningskoder" in page
    finally:
        client.close()
