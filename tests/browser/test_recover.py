"""Moving an account to a new phone with the recovery code."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from fotfeste.settings import RateLimit
from tests.browser.conftest import NewPage, open_signed_in, stored_token


def test_recover_on_a_new_phone(new_page: NewPage) -> None:
    old_phone = new_page(locale="da-DK")
    account = open_signed_in(old_phone, role="relative", locale="da")
    expect(old_phone.locator(".screen--home")).to_contain_text("Du er også vigtig")

    new_phone = new_page(locale="da-DK")
    new_phone.goto("/")
    new_phone.get_by_role("link", name=re.compile("gendannelseskode")).click()
    expect(new_phone).to_have_url(re.compile(r"#/recover$"))

    # A wrong code gets a calm message, and nothing is stored.
    new_phone.get_by_label("Gendannelseskode").fill("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    new_phone.get_by_role("button", name="Fortsæt").click()
    expect(new_phone.get_by_role("alert")).to_contain_text("Koden passer ikke")
    assert stored_token(new_phone) is None

    # The code as a person might type it: small letters, no dashes.
    typed = account["recovery_code"].replace("-", "").lower()
    new_phone.get_by_label("Gendannelseskode").fill(typed)
    with new_phone.expect_response("**/api/accounts/recover") as recovered:
        new_phone.get_by_role("button", name="Fortsæt").click()
    answer = recovered.value.json()
    assert answer["account_id"] == account["account_id"]

    # The used code is dead; the new one is shown once.
    expect(new_phone.get_by_role("heading", level=1)).to_have_text("Din nye gendannelseskode")
    expect(new_phone.get_by_test_id("recovery-code")).to_have_text(answer["recovery_code"])
    new_phone.get_by_role("button", name=re.compile("Jeg har gemt den")).click()
    expect(new_phone).to_have_url(re.compile(r"#/home$"))
    expect(new_phone.locator(".screen--home")).to_contain_text("Du er også vigtig")
    assert stored_token(new_phone) == answer["token"]

    again = new_phone.request.post(
        "/api/accounts/recover", data={"recovery_code": account["recovery_code"]}
    )
    assert again.status == 401

    # The old phone was signed out: on its next start it says so and offers onboarding.
    old_phone.reload()
    expect(old_phone).to_have_url(re.compile(r"#/welcome$"))
    expect(old_phone.get_by_role("status")).to_contain_text("ikke længere forbundet")
    assert stored_token(old_phone) is None


def test_too_many_tries_gets_a_calm_answer(
    new_page: NewPage, server_factory: Callable[..., Any]
) -> None:
    strict = server_factory(rate_recover=RateLimit(1, 600))
    page = new_page(locale="sv-SE", app=strict.url, service_workers="block")
    page.goto("/#/recover")
    field = page.get_by_label("Återställningskod")
    field.fill("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden passar inte")
    page.get_by_role("button", name="Fortsätt").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("för många försök")
    expect(alert).to_contain_text("10 minuter")
