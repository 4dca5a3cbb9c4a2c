"""Onboarding as a person does it: choose, stay anonymous, get the recovery code once, land home."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, stored_token

CASES = [
    # locale of the phone, app language, the words a person must see, the path taken
    pytest.param(
        "sv-SE",
        "sv",
        {
            "welcome": "Välkommen till Fotfeste",
            "self": "Jag vill förändra mitt eget bruk",
            "anonymous": "Du är anonym",
            "code": "Din återställningskod",
            "home": "En dag i taget",
        },
        "self",
        id="swedish-self",
    ),
    pytest.param(
        "nb-NO",
        "nb",
        {
            "welcome": "Velkommen til Fotfeste",
            "self": "Jeg vil endre min egen bruk",
            "anonymous": "Du er anonym",
            "code": "Gjenopprettingskoden din",
            "home": "Du er også viktig",
        },
        "relative-with-clinic-code",
        id="norwegian-relative-clinic-code",
    ),
]


@pytest.mark.parametrize(("locale", "lang", "words", "path"), CASES)
def test_onboarding_in_the_phones_language(
    new_page: NewPage, locale: str, lang: str, words: dict[str, str], path: str
) -> None:
    page = new_page(locale=locale)
    page.goto("/")

    expect(page).to_have_url(re.compile(r"#/welcome$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["welcome"])
    expect(page.get_by_role("button", name=words["self"])).to_be_visible()

    if path == "self":
        page.get_by_test_id("choose-self").click()
    else:
        page.get_by_test_id("choose-code").click()
        page.get_by_role("textbox").fill("OSLO-KLINIKK-7")
        page.locator("form button[type=submit]").click()
        page.get_by_test_id("choose-relative").click()

    expect(page.get_by_role("heading", name=words["anonymous"])).to_be_visible()
    # Nothing that could name the person is asked for.
    assert page.locator("input[type=email], input[type=tel], input[autocomplete=name]").count() == 0
    expect(page.get_by_role("combobox").first).to_have_value(lang)
    expect(page.get_by_role("combobox").nth(1)).to_have_value("Europe/Stockholm")

    with page.expect_response("**/api/accounts") as created:
        page.locator("form button[type=submit]").click()
    assert created.value.status == 201
    account = created.value.json()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["code"])
    expect(page.get_by_test_id("recovery-code")).to_have_text(account["recovery_code"])
    page.locator(".recovery-code button").click()
    assert page.evaluate("navigator.clipboard.readText()") == account["recovery_code"]

    token = stored_token(page)
    assert token == account["token"]
    me = page.request.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["locale"] == lang
    assert me["timezone"] == "Europe/Stockholm"
    assert me["role"] == ("self" if path == "self" else "relative")
    if path != "self":
        assert me["referral_code"] == "OSLO-KLINIKK-7"

    page.locator(".actions .button").click()
    expect(page).to_have_url(re.compile(r"#/home$"))
    expect(page.locator(".screen--home")).to_contain_text(words["home"])
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.locator("main")).to_contain_text("112")

    # The code is shown once: a reload goes home, and the code is nowhere on the page.
    page.reload()
    expect(page.locator(".screen--home")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(account["recovery_code"])
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_back_steps_and_english_fallback(new_page: NewPage) -> None:
    """A phone in German gets English; back from the details step returns to the choices."""
    page: Page = new_page(locale="de-DE")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("choose-code").click()
    page.locator("form button[type=submit]").click()  # empty code: a friendly error, no request
    expect(page.get_by_role("alert")).to_have_text("Type the code first.")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Fotfeste")
    expect(page.get_by_role("heading", level=1)).to_be_focused()


def test_help_is_reachable_before_an_account_exists(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Help").click()
    expect(page).to_have_url(re.compile(r"#/help$"))
    expect(page.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
    # Account screens are not reachable without an account.
    page.goto("/#/settings")
    expect(page).to_have_url(re.compile(r"#/welcome$"))
