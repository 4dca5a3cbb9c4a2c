"""My plan in the browser: write it, save it, see it again; saved offline and sent later."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import axe_violations, open_signed_in


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


def test_write_and_save_my_plan(page: Page) -> None:
    account = open_signed_in(page, role="self", locale="en")
    page.locator(".cards__item--plan").get_by_role("link", name="Open my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")

    page.get_by_role("button", name="Add a warning sign").click()
    expect(page.get_by_label("Warning sign 1")).to_be_focused()
    page.keyboard.type("Skipping meals")
    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Name 1").fill("Sam")
    page.get_by_label("Phone number 1").fill("call me")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("alert")).to_contain_text("Check the phone numbers")
    expect(page.get_by_label("Phone number 1")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []

    page.get_by_label("Phone number 1").fill("070-123 45 67")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("status")).to_contain_text("Your plan is saved")

    stored = page.request.get(
        "/api/plan", headers={"Authorization": f"Bearer {account['token']}"}
    ).json()
    assert [e["text"] for e in stored["warning_signs"]] == ["Skipping meals"]
    assert stored["people"][0]["dial"] == "0701234567"

    page.reload()
    expect(page.get_by_label("Warning sign 1")).to_have_value("Skipping meals")


def test_plan_saved_offline_is_sent_when_back_online(page: Page) -> None:
    account = open_signed_in(page, role="self", locale="da")
    wait_for_service_worker(page)
    page.goto("/#/plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min plan")

    page.context.set_offline(True)
    page.get_by_role("button", name="Tilføj en grund").click()
    expect(page.get_by_label("Grund 1")).to_be_focused()
    page.keyboard.type("Mine børn")
    page.get_by_role("button", name="Gem min plan").click()
    expect(page.get_by_role("status")).to_contain_text("Gemt på telefonen")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    headers = {"Authorization": f"Bearer {account['token']}"}
    reasons: list[str] = []
    for _ in range(100):  # the outbox is replayed in the background
        reasons = [
            r["text"] for r in page.request.get("/api/plan", headers=headers).json()["reasons"]
        ]
        if reasons:
            break
        page.wait_for_timeout(100)
    assert reasons == ["Mine børn"]


def test_waiting_list_mode_starts_and_ends(page: Page) -> None:
    account = open_signed_in(page, role="self", locale="nb")
    card = page.get_by_test_id("waiting-card")
    expect(card).to_contain_text("Venter du på behandling?")
    card.get_by_role("link", name="Fortell").click()
    page.get_by_label("Jeg venter på behandling").check()
    expect(page.get_by_role("status")).to_contain_text("gjennom ventetiden")
    expect(page.locator("main")).to_contain_text("Mens du venter")
    expect(page.locator(".article-list")).to_contain_text("Mens du venter på behandling")
    assert axe_violations(page) == []

    page.get_by_role("navigation").get_by_role("link", name="Hjem").click()
    expect(page.get_by_test_id("waiting-card")).to_contain_text("Mens du venter på behandling")
    page.get_by_test_id("waiting-card").get_by_role("link").last.click()
    page.get_by_label("Behandlingen min har startet").check()
    expect(page.get_by_role("status")).to_contain_text("Lykke til")
    headers = {"Authorization": f"Bearer {account['token']}"}
    status = page.request.get("/api/treatment", headers=headers).json()
    assert status["status"] == "in_treatment" and status["waiting_mode"] is False


def test_a_plan_waiting_to_be_sent_is_what_the_plan_screen_shows(page: Page) -> None:
    """Saved while the server was busy, the plan waits in the outbox; opened again before it is
    sent, the plan screen shows it, not the older plan the server still has."""
    open_signed_in(page, role="self", locale="en")
    page.goto("/#/plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")

    def busy(route: Route) -> None:
        if route.request.method == "PUT":
            route.fulfill(status=503, json={"status_code": 503, "detail": "Busy"})
        else:
            route.continue_()

    page.context.route("**/api/plan", busy)
    page.get_by_role("button", name="Add a reason").click()
    expect(page.get_by_label("Reason 1")).to_be_focused()
    page.keyboard.type("My children")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("status")).to_contain_text("Saved on this phone")

    page.goto("/#/home")
    expect(page.locator(".screen--home")).to_be_visible()
    page.goto("/#/plan")
    expect(page.get_by_label("Reason 1")).to_have_value("My children")
    page.goto("/#/craving")
    expect(page.locator("main")).to_contain_text("My children")
