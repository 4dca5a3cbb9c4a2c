"""Help now offline: the craving timer, my reasons and my people, with no network at all."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations, open_signed_in
from tests.conftest import DEFAULT_NOW

PLAN: dict[str, Any] = {
    "reasons": [{"id": "reason-0001", "text": "Being there for my daughter"}],
    "coping_actions": [{"id": "coping-0001", "text": "Walk round the lake"}],
    "people": [{"id": "person-0001", "name": "Mor", "phone": "+47 912 34 567"}],
}


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


def test_craving_timer_runs_offline_with_my_plan(new_page: NewPage) -> None:
    page = new_page()
    page.clock.install()
    account = open_signed_in(page, role="self", locale="en")
    saved = page.request.put(
        "/api/plan", data=PLAN, headers={"Authorization": f"Bearer {account['token']}"}
    )
    assert saved.status == 200, saved.text()
    wait_for_service_worker(page)
    page.goto("/#/craving")  # once online: the plan is kept on the phone
    expect(page.get_by_text("Being there for my daughter")).to_be_visible()

    page.context.set_offline(True)
    page.goto("/#/home")
    page.reload()
    expect(page.locator(".offline-notice")).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Help").click()
    page.get_by_role("link", name="I have a craving").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("I have a craving")
    expect(page.get_by_text("Being there for my daughter")).to_be_visible()
    expect(page.get_by_text("Walk round the lake")).to_be_visible()
    expect(page.get_by_role("link", name="Call Mor")).to_have_attribute("href", "tel:+4791234567")

    page.get_by_role("button", name="Start 15 minutes").click()
    timer = page.get_by_test_id("urge-time")
    # The page's clock runs on by itself, so allow for a few seconds passing between steps.
    expect(timer).to_have_text(re.compile(r"^1[45]:\d\d$"))
    guidance = page.get_by_test_id("urge-guidance")
    expect(guidance).to_contain_text("Notice the craving")
    assert axe_violations(page) == []

    page.clock.fast_forward("04:00")
    expect(timer).to_have_text(re.compile(r"^1[01]:\d\d$"))
    expect(guidance).to_contain_text("Where do you feel it")

    page.clock.fast_forward("11:00")
    expect(guidance).to_contain_text("You rode the wave")
    expect(page.get_by_role("button", name="Start again")).to_be_visible()


def test_i_used_is_kind_and_keeps_history(page: Page) -> None:
    page.clock.set_fixed_time(DEFAULT_NOW)  # the live server's "now", so both agree on today
    account = open_signed_in(page, role="self", locale="sv")
    page.get_by_role("navigation").get_by_role("link", name="Hjälp").click()
    page.get_by_role("link", name="Jag har använt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jag har använt")
    expect(page.locator("main")).to_contain_text("inte något att skämmas över")
    expect(page.locator("main")).to_contain_text("Din historik finns kvar")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Anteckna att jag har använt i dag").click()
    expect(page.locator(".success")).to_contain_text("Antecknat")
    headers = {"Authorization": f"Bearer {account['token']}"}
    checkins = page.request.get("/api/checkins", headers=headers).json()["checkins"]
    assert [(c["date"], c["used"]) for c in checkins] == [("2026-03-16", True)]


def test_a_swedish_number_with_a_trunk_zero_is_called_without_it(page: Page) -> None:
    """ "+46 (0)70-123 45 67", as Swedes often write it, calls +46 70 …: the "(0)" is only for
    calls from inside Sweden without the country code."""
    account = open_signed_in(page, role="self", locale="sv")
    plan = {"people": [{"id": "person-0002", "name": "Mamma", "phone": "+46 (0)70-123 45 67"}]}
    saved = page.request.put(
        "/api/plan", data=plan, headers={"Authorization": f"Bearer {account['token']}"}
    )
    assert saved.status == 200, saved.text()
    assert saved.json()["people"][0]["dial"] == "+46701234567"
    page.goto("/#/craving")
    expect(page.get_by_role("link", name="Ring Mamma")).to_have_attribute(
        "href", "tel:+46701234567"
    )
