"""The person's side in Chromium: open a clinic's code, see what is shared, accept or decline,
find the clinic's contacts in help, and leave in settings."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations, create_account, open_signed_in
from tests.conftest import LiveServer
from tests.staff_portal import StaffClient, add_staff


@pytest.fixture
def staff(live_server: LiveServer) -> Iterator[StaffClient]:
    user = add_staff(live_server.settings)
    client = StaffClient(live_server.url)
    client.sign_in(user)
    yield client
    client.close()


def _clinic_name(staff: StaffClient, code: str) -> str:
    return str(staff.http.get(f"/api/referrals/{code}").json()["clinic"])


def test_accept_see_contacts_in_help_and_leave_in_swedish(
    new_page: NewPage, staff: StaffClient
) -> None:
    code = staff.create_code("clinic-16", contact_phone="08-555 123 45")
    clinic = _clinic_name(staff, code)
    page = new_page(locale="sv-SE")
    open_signed_in(page, locale="sv")
    page.goto(f"/#/join/{code}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{clinic} bjuder in dig")
    expect(page.get_by_test_id("shared")).to_contain_text("Hur många i programmet")
    expect(page.get_by_test_id("never-shared")).to_contain_text("Dina egna svar eller poäng")
    expect(page.get_by_text("16-veckorsgrupp")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Godkänn").click()
    expect(page.locator(".screen--home")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"Nu är du kopplad till {clinic}")

    page.goto("/#/help")
    contacts = page.get_by_test_id("clinic-contacts")
    expect(contacts).to_contain_text(f"Din mottagning: {clinic}")
    expect(contacts.get_by_role("link", name="08-555 123 45")).to_have_attribute(
        "href", "tel:0855512345"
    )

    page.goto("/#/settings")
    settings = page.get_by_test_id("clinic-settings")
    expect(settings).to_contain_text(f"Kopplad till {clinic} (16-veckorsgrupp)")
    settings.get_by_role("button", name=f"Lämna {clinic}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("kommer inte längre att räkna med dig")
    dialog.get_by_role("button", name="Lämna", exact=True).click()
    expect(settings).to_contain_text("Du är inte kopplad till någon mottagning")
    link = page.request.get(
        "/api/me/clinic-link",
        headers={"Authorization": f"Bearer {_token(page)}"},
    ).json()
    assert link == {"linked": False}


def test_a_code_opened_before_an_account_waits_on_home_in_english(
    new_page: NewPage, staff: StaffClient
) -> None:
    code = staff.create_code("aftercare")
    clinic = _clinic_name(staff, code)
    page = new_page(locale="en-GB")
    page.goto(f"/#/join/{code}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{clinic} invites you")
    expect(page.get_by_text("To accept, first set up Fotfeste")).to_be_visible()
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Get started").click()
    expect(page).to_have_url(re.compile(r"#/welcome$"))

    # With an account (made here over the API), home offers the code, and declining it is fine.
    account = create_account(page)
    page.evaluate(
        "token => import('/store.js').then((store) => store.set('token', token))", account["token"]
    )
    page.goto("/#/home")
    page.reload()
    card = page.get_by_test_id("clinic-card")
    expect(card).to_contain_text(code)
    card.get_by_role("link", name="See what is shared").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{clinic} invites you")
    page.get_by_role("button", name="No thanks").click()
    expect(page.get_by_role("status")).to_contain_text("Nothing is shared with the clinic")
    expect(page.get_by_test_id("clinic-card")).to_have_count(0)


def test_a_revoked_code_says_so(new_page: NewPage, staff: StaffClient) -> None:
    code = staff.create_code()
    staff.submit(f"/staff/codes/{code}", f"/staff/codes/{code}/revoke", {})
    page = new_page(locale="da-DK")
    page.goto(f"/#/join/{code}")
    expect(page.get_by_role("alert")).to_contain_text("Denne kode er ikke i brug")


def test_a_waiting_code_revoked_since_leaves_home_once_it_said_so(
    new_page: NewPage, staff: StaffClient
) -> None:
    """A code opened before the account, then revoked: home kept offering it, and the join
    screen kept saying it is not in use. Once the join screen has said so, it is gone."""
    code = staff.create_code("aftercare")
    page = new_page(locale="da-DK")
    page.goto(f"/#/join/{code}")
    page.get_by_role("button", name="Kom i gang").click()
    expect(page).to_have_url(re.compile(r"#/welcome$"))
    account = create_account(page, locale="da")
    page.evaluate(
        "token => import('/store.js').then((store) => store.set('token', token))", account["token"]
    )
    staff.submit(f"/staff/codes/{code}", f"/staff/codes/{code}/revoke", {})
    page.goto("/#/home")
    page.reload()
    card = page.get_by_test_id("clinic-card")
    expect(card).to_contain_text(code)
    card.get_by_role("link", name="Se, hvad der deles").click()
    expect(page.get_by_role("alert")).to_contain_text("Denne kode er ikke i brug")
    # The code the app kept is forgotten by the time the answer shows.
    kept = page.evaluate("import('/store.js').then((store) => store.get('clinic_code'))")
    assert kept is None
    page.goto("/#/home")
    with page.expect_response("**/api/me/clinic-link"):
        page.reload()
    expect(page.locator(".screen--home")).to_be_visible()
    expect(page.get_by_test_id("clinic-card")).to_have_count(0)


def test_a_code_revoked_while_the_screen_is_open_says_so_on_accept(
    new_page: NewPage, staff: StaffClient
) -> None:
    code = staff.create_code("aftercare")
    page = new_page(locale="nb-NO")
    open_signed_in(page, locale="nb")
    page.goto(f"/#/join/{code}")
    accept = page.get_by_role("button", name="Godta")
    expect(accept).to_be_visible()
    staff.submit(f"/staff/codes/{code}", f"/staff/codes/{code}/revoke", {})
    accept.click()
    expect(page.get_by_role("alert")).to_contain_text("Denne koden er ikke i bruk")


def _token(page: Page) -> str:
    token: str = page.evaluate("import('/store.js').then((store) => store.get('token'))")
    return token


def test_the_meeting_finder_starts_in_the_clinics_home_area(
    new_page: NewPage, staff: StaffClient
) -> None:
    code = staff.create_code("aftercare", home_area="Malmö", home_lat="55.605", home_lon="13.004")
    page = new_page(locale="en-GB")
    account = open_signed_in(page, locale="en")
    linked = page.request.post(
        "/api/me/clinic-link",
        data={"code": code, "accept": True},
        headers={"Authorization": f"Bearer {account['token']}"},
    )
    assert linked.ok, linked.text()
    page.goto("/#/meetings")
    # No location asked and nothing typed: the search is already around the clinic's area.
    expect(page.get_by_role("heading", level=2, name=re.compile("Malmö"))).to_be_visible()
