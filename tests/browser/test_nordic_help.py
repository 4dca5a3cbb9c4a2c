"""Nordic help lines as a person meets them: the national crisis line as a tap-to-call link
before the score (also offline), the published wording with its source, 113 in Norway."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations

PHQ9_FIRST = {"sv": "Inte alls", "nb": "Ikke i det hele tatt", "da": "Slet ikke"}
PHQ9_SECOND = {"sv": "Flera dagar", "nb": "Noen dager", "da": "Flere dage"}
NEXT = {"sv": "Nästa", "nb": "Neste", "da": "Næste"}
RESULT = {"sv": "Se resultatet", "nb": "Se resultatet", "da": "Se resultatet"}
ZONE = {"sv": "Europe/Stockholm", "nb": "Europe/Oslo", "da": "Europe/Copenhagen"}


def sign_in(page: Page, locale: str, role: str = "self") -> dict[str, Any]:
    answer = page.request.post(
        "/api/accounts", data={"role": role, "locale": locale, "timezone": ZONE[locale]}
    )
    assert answer.status == 201, answer.text()
    account: dict[str, Any] = answer.json()
    page.goto("/#/welcome")
    page.wait_for_selector("main h1")
    page.evaluate(
        "token => import('/store.js').then((store) => store.set('token', token))", account["token"]
    )
    page.goto("/#/home")
    page.reload()
    page.wait_for_selector(".screen--home")
    return account


def answer_phq9_with_item9(page: Page, locale: str) -> None:
    page.goto("/#/scales")
    page.locator("button[data-instrument=phq9]").click()
    answer_items(page, locale)


def answer_items(page: Page, locale: str) -> None:
    for n in range(1, 10):
        label = PHQ9_SECOND[locale] if n == 9 else PHQ9_FIRST[locale]
        page.get_by_role("radio", name=label, exact=True).check()
        page.get_by_role("button", name=RESULT[locale] if n == 9 else NEXT[locale]).click()


def test_a_swede_sees_90101_first_also_offline(new_page: NewPage) -> None:
    page = new_page(locale="sv-SE", timezone_id="Europe/Stockholm", width=360)
    sign_in(page, "sv")
    page.goto("/#/scales")
    page.locator("button[data-instrument=phq9]").click()
    # The published Swedish wording, with its version and source under it.
    expect(page.locator(".questionnaire__text")).to_have_text(
        "Lite intresse eller glädje i att göra saker"
    )
    expect(page.get_by_test_id("translation-credit")).to_have_text(
        "Svensk översättning: Mats Adler, Pfizer AB 2005"
    )
    expect(page.get_by_test_id("translation-note")).to_have_count(0)
    answer_items(page, "sv")

    safety = page.get_by_test_id("safety")
    call = safety.get_by_role("link", name="Ring 90101")
    expect(call).to_have_attribute("href", "tel:90101")
    expect(safety).to_contain_text("Dygnet runt, alla dagar")
    expect(safety).to_contain_text("Du kan vara anonym.")
    links = safety.locator("a[href^='tel:']")
    expect(links.first).to_have_attribute("href", "tel:90101")
    expect(links.nth(1)).to_have_attribute("href", "tel:112")
    first = page.get_by_test_id("result").locator(":scope > *").first
    expect(first).to_have_attribute("data-testid", "safety")
    expect(page.locator(".result__score")).to_be_visible()
    assert axe_violations(page) == []

    # Offline: the answers wait, and the lines come from the device's copy.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    page.get_by_role("button", name="Klar").click()
    page.context.set_offline(True)
    try:
        page.locator("button[data-instrument=phq9]").click()
        answer_items(page, "sv")
        safety = page.get_by_test_id("safety")
        expect(page.get_by_test_id("result")).to_contain_text("sparade")
        expect(safety.get_by_role("link", name="Ring 90101")).to_have_attribute("href", "tel:90101")
    finally:
        page.context.set_offline(False)


@pytest.mark.parametrize(
    ("locale", "name", "href"),
    [("nb", "Ring 116 123", "tel:116123"), ("da", "Ring 70 20 12 01", "tel:70201201")],
)
def test_the_national_crisis_line_comes_first(
    new_page: NewPage, locale: str, name: str, href: str
) -> None:
    page = new_page(locale=f"{locale}-{locale.upper()}", timezone_id=ZONE[locale])
    sign_in(page, locale)
    answer_phq9_with_item9(page, locale)
    safety = page.get_by_test_id("safety")
    expect(safety.locator("a[href^='tel:']").first).to_have_attribute("href", href)
    expect(safety.get_by_role("link", name=name)).to_be_visible()
    if locale == "da":
        expect(safety.locator("h3").first).to_have_text("Livslinien")
        # Without a region chosen, every region's out-of-hours line is shown with its region.
        expect(safety).to_contain_text("Region Sjælland")


def test_norway_home_card_and_help_now(new_page: NewPage) -> None:
    page = new_page(locale="nb-NO", timezone_id="Europe/Oslo")
    sign_in(page, "nb")
    card = page.locator(".card--help")
    expect(card.get_by_role("link", name="Ring 113")).to_have_attribute("href", "tel:113")
    expect(card).to_contain_text("Ved akutt sykdom eller skade, ring 113.")
    page.goto("/#/crisis")
    calls = page.locator(".screen--crisis a[href^='tel:']")
    expect(calls.first).to_have_attribute("href", "tel:116123")
    expect(calls.nth(1)).to_have_attribute("href", "tel:22400040")
    expect(calls.nth(2)).to_have_attribute("href", "tel:113")
    expect(calls.nth(3)).to_have_attribute("href", "tel:112")
    assert axe_violations(page) == []


def test_a_dane_chooses_a_region(new_page: NewPage) -> None:
    page = new_page(locale="da-DK", timezone_id="Europe/Copenhagen")
    sign_in(page, "da")
    page.goto("/#/settings")
    page.get_by_label("Region", exact=True).select_option("sjaelland")
    expect(page.get_by_role("status")).to_contain_text("Gemt")
    page.goto("/#/crisis")
    screen = page.locator(".screen--crisis")
    expect(screen.get_by_role("link", name="Ring 1818")).to_be_visible()
    expect(screen.get_by_role("link", name="Ring 1813")).to_have_count(0)


def test_a_swedish_relative_sees_the_lines_for_relatives(new_page: NewPage) -> None:
    page = new_page(locale="sv-SE", timezone_id="Europe/Stockholm")
    sign_in(page, "sv", role="relative")
    page.goto("/#/crisis")
    relatives = page.locator("section[aria-labelledby=crisis-relatives]")
    expect(relatives).to_contain_text("Anhöriglinjen")
    expect(relatives.get_by_role("link", name="Ring 0200-239 500")).to_have_attribute(
        "href", "tel:0200239500"
    )
    page.goto("/#/family")
    expect(page.locator("section[aria-labelledby=family-lines]")).to_contain_text("Anhöriglinjen")
    youth = page.locator("section[aria-labelledby=family-youth]")
    expect(youth.get_by_role("link", name="Ring 116 111")).to_have_attribute("href", "tel:116111")
    page.goto("/#/article/safety-and-violence")
    violence = page.locator("section[aria-labelledby=article-violence]")
    expect(violence).to_contain_text("Kvinnofridslinjen")
    expect(violence.get_by_role("link", name="Ring 020-50 50 50")).to_be_visible()
    assert axe_violations(page) == []


def test_norwegian_audit_keeps_its_footnote(new_page: NewPage) -> None:
    page = new_page(locale="nb-NO", timezone_id="Europe/Oslo")
    sign_in(page, "nb")
    page.goto("/#/scales")
    page.locator("button[data-instrument=audit]").click()
    expect(page.get_by_test_id("translation-credit")).to_contain_text("Aasland")
    page.get_by_role("radio", name="Aldri", exact=True).check()
    page.get_by_role("button", name="Neste").click()
    expect(page.locator(".questionnaire__text")).to_contain_text("alkoholenheter*")
    expect(page.locator(".questionnaire__footnote")).to_contain_text("* 1 alkoholenhet = ")


def test_focus_lands_on_the_help_not_past_it(new_page: NewPage) -> None:
    """A screen reader reads on from the focused heading, and Tab moves on from it: after a
    safety answer that must be the help panel, not the score below it (which skipped the
    crisis lines for anyone not looking at the screen)."""
    page = new_page(locale="nb-NO", timezone_id="Europe/Oslo")
    sign_in(page, "nb")
    answer_phq9_with_item9(page, "nb")
    safety = page.get_by_test_id("safety")
    expect(safety.get_by_role("heading", level=2)).to_be_focused()
    page.keyboard.press("Tab")
    expect(safety.locator("a[href^='tel:']").first).to_be_focused()
    expect(page.locator(":focus")).to_have_attribute("href", "tel:116123")

    # Without a safety answer the result's own heading takes the focus, as before.
    page.get_by_role("button", name="Ferdig").click()
    page.locator("button[data-instrument=phq9]").click()
    for n in range(1, 10):
        page.get_by_role("radio", name=PHQ9_FIRST["nb"], exact=True).check()
        page.get_by_role("button", name=RESULT["nb"] if n == 9 else NEXT["nb"]).click()
    expect(page.get_by_test_id("result")).to_be_visible()
    expect(page.get_by_test_id("safety")).to_have_count(0)
    expect(page.get_by_role("heading", name="Hva svarene dine viser")).to_be_focused()


def test_the_checkup_result_has_no_english_line(new_page: NewPage) -> None:
    """The check-up is our own questions: its result showed the English "Fotfeste check-up
    questions." under a Swedish page. A published questionnaire keeps its attribution."""
    page = new_page(locale="sv-SE", timezone_id="Europe/Stockholm")
    sign_in(page, "sv")
    page.goto("/#/checkup")
    page.get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Antal (0–30)").fill("4")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Se resultatet").click()
    result = page.get_by_test_id("result")
    expect(result.locator(".measures")).to_be_visible()
    expect(result).not_to_contain_text("check-up questions")
    expect(result.locator(".attribution")).to_have_count(0)

    page.goto("/#/scales")
    page.locator("button[data-instrument=phq9]").click()
    for n in range(1, 10):
        page.get_by_role("radio", name=PHQ9_FIRST["sv"], exact=True).check()
        page.get_by_role("button", name=RESULT["sv"] if n == 9 else NEXT["sv"]).click()
    licence = page.get_by_test_id("result").locator(".attribution").last
    expect(licence).to_contain_text("Pfizer")
    # The licence's own English words, read by a screen reader with an English voice.
    expect(licence).to_have_attribute("lang", "en")
