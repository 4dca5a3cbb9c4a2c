"""The relative's path, in Norwegian: home, advice articles (also offline), help now."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations, open_signed_in


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


def test_relative_reads_advice_in_norwegian_and_finds_help(new_page: NewPage) -> None:
    page = new_page(locale="nb-NO", timezone_id="Europe/Oslo", width=360)
    open_signed_in(page, role="relative", locale="nb")
    wait_for_service_worker(page)

    card = page.locator(".cards__item--family")
    expect(card).to_contain_text("For deg som er pårørende")
    card.get_by_role("link", name="Åpne").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("For deg som er pårørende")
    advice = page.locator(".article-list")
    for title in (
        "Å forstå rusbruken og hva som utløser den",
        "Hvordan du snakker om rus med personen",
        "Sikkerhet når det er vold eller trusler",
        "Når og hvordan du foreslår behandling",
    ):
        expect(advice).to_contain_text(title)
    expect(advice).to_contain_text("minutters lesing")
    assert axe_violations(page) == []

    advice.get_by_role("link", name="Hvordan du snakker om rus med personen").click()
    expect(page).to_have_url(re.compile(r"#/article/talking-about-drugs$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hvordan du snakker om rus med personen"
    )
    body = page.locator(".article__body")
    expect(body.get_by_role("heading", level=2).first).to_have_text("Før dere snakker")
    expect(body.get_by_role("link", name="RUSinfo")).to_have_attribute(
        "href", "https://rusinfo.no/"
    )
    assert axe_violations(page) == []

    # Every advice article was kept for offline reading when the list was shown.
    page.context.set_offline(True)
    page.get_by_role("link", name="Tilbake til råd til pårørende").first.click()
    page.locator(".article-list").get_by_role(
        "link", name="Sikkerhet når det er vold eller trusler"
    ).click()
    expect(page.locator(".article__body")).to_contain_text("112")
    page.context.set_offline(False)

    # Help now is one tap away from this screen too.
    page.get_by_role("navigation").get_by_role("link", name="Hjelp").click()
    expect(page.get_by_test_id("help-family")).to_be_visible()
    expect(page.get_by_test_id("help-craving")).to_have_count(0)
    page.get_by_role("link", name="Jeg trenger hjelp nå").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jeg trenger hjelp nå")
    expect(page.get_by_role("link", name="Ring 112").first).to_have_attribute("href", "tel:112")


def test_a_person_in_recovery_does_not_get_the_relatives_card(page: Page) -> None:
    open_signed_in(page, role="self", locale="en")
    expect(page.locator(".cards__item--plan")).to_be_visible()
    expect(page.locator(".cards__item--family")).to_have_count(0)


def test_relatives_home_in_dark_mode_and_an_unknown_article(new_page: NewPage) -> None:
    page = new_page(locale="da-DK", color_scheme="dark", timezone_id="Europe/Copenhagen")
    open_signed_in(page, role="relative", locale="da")
    page.goto("/#/family")
    expect(page.locator(".article-list")).to_contain_text("Sådan taler du om stoffer med personen")
    assert axe_violations(page) == []

    page.goto("/#/article/no-such-article")
    expect(page.get_by_role("heading", level=1)).to_have_text("Artiklen blev ikke fundet")
    page.get_by_role("link", name="Tilbage til råd til pårørende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Til dig, der er pårørende")
