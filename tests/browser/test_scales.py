"""The follow-up check-up as a person does it, in Danish: one question per screen, back, result
in plain words, history with a chart and a table, compare with the start, and help first."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations


def sign_in_danish(page: Page, role: str = "self") -> dict[str, Any]:
    answer = page.request.post(
        "/api/accounts", data={"role": role, "locale": "da", "timezone": "Europe/Copenhagen"}
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


def test_a_full_checkup_in_danish(new_page: NewPage) -> None:
    page = new_page(locale="da-DK", timezone_id="Europe/Copenhagen", width=360)
    account = sign_in_danish(page)

    card = page.locator(".card--followup")
    expect(card).to_contain_text("Det er tid til et kort statustjek: Start.")
    card.get_by_role("link", name="Start statustjekket").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Opfølgning")
    expect(page.get_by_text("Spørgsmål 1 af 3")).to_be_visible()
    expect(page.locator(".questionnaire__text")).to_have_text(
        "Hvor stort et problem har alkohol eller stoffer været i dit liv de sidste 30 dage?"
    )
    # Next without an answer asks for one, kindly.
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_role("alert")).to_have_text("Vælg et svar for at gå videre.")
    page.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Næste").click()

    expect(page.get_by_text("Spørgsmål 2 af 3")).to_be_visible()
    days = page.get_by_label("Antal (0–30)")
    days.fill("4")
    # Back keeps the answer given.
    page.get_by_role("button", name="Tilbage").click()
    expect(page.get_by_role("radio", name="6", exact=True)).to_be_checked()
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_label("Antal (0–30)")).to_have_value("4")
    page.get_by_role("button", name="Næste").click()

    expect(page.get_by_text("Spørgsmål 3 af 3")).to_be_visible()
    page.get_by_role("radio", name="8", exact=True).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Se resultatet").click()

    result = page.get_by_test_id("result")
    expect(result.get_by_role("heading", name="Hvad dine svar viser")).to_be_visible()
    expect(result).to_contain_text("Belastning")
    expect(result).to_contain_text("6 af 10")
    expect(result).to_contain_text("4 af 30")
    expect(result).to_contain_text("Resultatet er ikke en diagnose.")
    expect(page.get_by_test_id("safety")).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Færdig").click()
    start = page.locator(".followups__item").first
    expect(start).to_contain_text("Færdig")
    expect(page.get_by_test_id("compare")).to_have_count(0)

    # A later check-up (sent as the app would) makes "compare with my start" meaningful.
    later = page.request.post(
        "/api/responses",
        data={"instrument": "checkup", "answers": {"1": 3, "2": 1, "3": 9}},
        headers={"Authorization": f"Bearer {account['token']}"},
    )
    assert later.status == 201
    page.reload()
    compare = page.get_by_test_id("compare")
    expect(compare).to_contain_text("Lavere end da du startede.")
    expect(compare).to_contain_text("Færre dage end da du startede.")
    expect(compare).to_contain_text("Højere end da du startede.")

    page.get_by_role("button", name="Se historik").first.click()
    expect(page.get_by_role("heading", name="Over tid: Statustjek")).to_be_visible()
    expect(page.locator("svg.trend__chart")).to_have_count(3)
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Belastning")
    assert axe_violations(page) == []


def test_help_comes_before_the_score_in_danish(new_page: NewPage) -> None:
    page = new_page(locale="da-DK", timezone_id="Europe/Copenhagen", color_scheme="dark")
    sign_in_danish(page)
    page.goto("/#/checkup")
    page.get_by_role("radio", name="10: Et meget stort problem").check()
    page.get_by_role("button", name="Næste").click()
    page.get_by_label("Antal (0–30)").fill("20")
    page.get_by_role("button", name="Næste").click()
    page.get_by_role("radio", name="2", exact=True).check()
    page.get_by_role("button", name="Se resultatet").click()

    safety = page.get_by_test_id("safety")
    expect(safety).to_contain_text("Du behøver ikke være alene med det her")
    expect(safety.get_by_role("link", name="Ring 112")).to_have_attribute("href", "tel:112")
    # The help panel comes first in the result, before any numbers.
    first = page.get_by_test_id("result").locator(":scope > *").first
    expect(first).to_have_attribute("data-testid", "safety")
    assert axe_violations(page) == []
