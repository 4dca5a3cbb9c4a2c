"""Accessibility: axe-core finds nothing serious, small screens and large text never scroll
sideways, reduced motion is respected, and keyboard users can skip to the content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations, open_signed_in

SCREENS = ["welcome", "home", "settings", "help"]


def go_to(page: Page, screen: str) -> None:
    """Welcome first (no account yet), then the account screens with a new account."""
    if screen == "welcome":
        page.goto("/#/welcome")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        return
    if not page.evaluate("import('/store.js').then((store) => store.get('token'))"):
        open_signed_in(page)
    page.goto(f"/#/{screen}")
    expect(page.locator(f".screen--{screen}")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violations(new_page: NewPage, scheme: str) -> None:
    # The service worker plays no part in how a screen reads; blocking it keeps this test quick.
    page = new_page(color_scheme=scheme, service_workers="block")
    found = {}
    for screen in SCREENS:
        go_to(page, screen)
        found[screen] = axe_violations(page)
    assert found == {screen: [] for screen in SCREENS}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_onboarding_steps_and_dialog_pass_axe(new_page: NewPage, scheme: str) -> None:
    page = new_page(locale="da-DK", color_scheme=scheme, service_workers="block")
    page.goto("/")
    page.get_by_test_id("choose-code").click()
    page.locator("form button[type=submit]").click()  # shows the error message
    assert axe_violations(page) == []
    page.get_by_role("textbox").fill("KBH-1")
    page.locator("form button[type=submit]").click()
    page.get_by_test_id("choose-self").click()
    assert axe_violations(page) == []
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("recovery-code")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Jeg har gemt den – fortsæt").click()
    page.goto("/#/settings")
    page.get_by_role("button", name="Slet min konto").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_360_px_wide_without_sideways_scrolling(new_page: NewPage, text_size: str) -> None:
    # Norwegian has the longest words (gjenopprettingskoden): the hardest case for wrapping.
    page = new_page(locale="nb-NO", width=360, height=740, service_workers="block")
    widths = {}
    for screen in SCREENS:
        go_to(page, screen)
        page.evaluate(f"document.documentElement.style.fontSize = {text_size!r}")
        widths[screen] = page.evaluate("document.documentElement.scrollWidth")
        if screen == "welcome":
            # The choices stay large enough to tap.
            box = page.get_by_test_id("choose-self").bounding_box()
            assert box and box["height"] >= 44
    assert widths == {screen: 360 for screen in SCREENS}, f"at {text_size} text"


def test_reduced_motion(new_page: NewPage) -> None:
    page = new_page(reduced_motion="reduce", service_workers="block")
    open_signed_in(page)
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    page.goto("/#/settings")
    page.get_by_role("switch").check()
    status = page.get_by_role("status")
    expect(status).to_have_text("Discreet mode is on.")
    duration = status.evaluate("el => getComputedStyle(el).animationDuration")
    assert float(duration.rstrip("ms").rstrip("s")) < 0.01 or duration.endswith("ms")
    assert axe_violations(page) == []


def test_skip_link_and_focus_rings(page: Page) -> None:
    open_signed_in(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page).not_to_have_url("**#main")

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] != "none" and focused[1] != "0px", "keyboard focus must be visible"


def test_every_control_has_a_label(page: Page) -> None:
    open_signed_in(page)
    page.goto("/#/settings")
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input, select, textarea, button')]"
        ".filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')"
        " && !el.textContent.trim()).map(el => el.outerHTML)"
    )
    assert unlabelled == []
