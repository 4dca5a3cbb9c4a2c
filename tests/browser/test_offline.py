"""Offline: once opened, the app starts again without a network."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_signed_in


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


def test_reload_offline_shows_home(page: Page) -> None:
    open_signed_in(page, role="relative", locale="sv")
    wait_for_service_worker(page)
    page.reload()  # once more online, so /api/me is in the cache as the worker saw it
    expect(page.locator(".screen--home")).to_be_visible()

    page.context.set_offline(True)
    page.reload()
    expect(page.locator(".screen--home")).to_be_visible()
    expect(page.locator(".screen--home")).to_contain_text("Du är också viktig")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator(".offline-notice")).to_be_visible()

    # Other screens work from the cache too.
    page.get_by_role("navigation").get_by_role("link", name="Hjälp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjälp")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".offline-notice")).to_be_hidden()


def test_welcome_offline_before_any_account(page: Page) -> None:
    page.goto("/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Fotfeste")
    page.get_by_test_id("choose-self").click()
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("offline")
