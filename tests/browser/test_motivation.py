"""Money not spent and my own patterns, as a person uses them: in Swedish and Danish."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations


def _sign_in(page: Page, locale: str, timezone: str) -> dict[str, str]:
    answer = page.request.post(
        "/api/accounts", data={"role": "self", "locale": locale, "timezone": timezone}
    )
    assert answer.status == 201, answer.text()
    token = answer.json()["token"]
    page.goto("/#/welcome")
    page.wait_for_selector("main h1")
    page.evaluate("token => import('/store.js').then((store) => store.set('token', token))", token)
    return {"Authorization": f"Bearer {token}"}


def test_money_not_spent_shows_on_home_in_kronor(new_page: NewPage) -> None:
    page = new_page(locale="sv-SE", width=360)
    headers = _sign_in(page, "sv", "Europe/Stockholm")
    # The server's clock: Monday 16 March 2026; eleven days with one day of use.
    start = page.request.put("/api/sobriety", data={"start_date": "2026-03-05"}, headers=headers)
    assert start.ok
    assert page.request.put("/api/checkins/2026-03-08", data={"used": True}, headers=headers).ok
    page.goto("/#/home")
    page.reload()
    card = page.locator(".card--progress")
    card.get_by_role("link", name="Pengar som inte gick åt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pengar som inte gick åt")
    page.get_by_label("Ungefär hur mycket jag brukade lägga").fill("1400")
    page.get_by_label("Per", exact=True).select_option("week")
    expect(page.get_by_label("Valuta")).to_have_value("SEK")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Spara").click()

    expect(page.locator(".screen--home")).to_be_visible()
    # Ten drug-free days before today at 200 kr a day.
    expect(card.locator(".stats__money dd")).to_have_text("2 000 kr")
    card.get_by_role("link", name="Ändra vad det kostade").click()
    page.get_by_role("button", name="Ta bort").click()
    page.goto("/#/home")
    expect(card.locator(".stats__money")).to_have_count(0)


@pytest.mark.parametrize(
    ("lang", "typed", "saved", "shown"),
    [
        ("da", "1.400", 1400, "1400"),  # a Danish thousands separator, not 1.4 kroner
        ("sv", "1 400", 1400, "1400"),  # a space, as Swedes and Norwegians group thousands
        ("nb", "1 400,50", 1400.5, "1400,5"),
        ("en", "1,400", 1400, "1400"),
        ("da", "12,50", 12.5, "12,5"),
        ("en", "12.50", 12.5, "12.5"),
    ],
)
def test_an_amount_is_read_as_it_is_written_in_each_language(
    new_page: NewPage, lang: str, typed: str, saved: float, shown: str
) -> None:
    page = new_page(locale={"sv": "sv-SE", "nb": "nb-NO", "da": "da-DK", "en": "en-GB"}[lang])
    headers = _sign_in(page, lang, "Europe/Stockholm")
    page.goto("/#/home")
    page.reload()
    expect(page.locator(".screen--home")).to_be_visible()
    page.goto("/#/money")
    amount = page.locator("#money-amount")
    amount.fill(typed)
    page.locator("form.panel button[type=submit]").click()
    expect(page.locator(".screen--home")).to_be_visible()
    answer = page.request.get("/api/me/spending", headers=headers)
    assert answer.ok and answer.json()["amount"] == saved
    page.goto("/#/money")
    expect(amount).to_have_value(shown)


def test_my_patterns_in_danish(new_page: NewPage) -> None:
    page = new_page(locale="da-DK", timezone_id="Europe/Copenhagen")
    headers = _sign_in(page, "da", "Europe/Copenhagen")
    page.goto("/#/home")
    page.reload()
    page.locator(".card--progress").get_by_role("link", name="Mine mønstre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine mønstre")
    expect(
        page.get_by_text("Dine mønstre vises her, når du har tjekket ind i fire uger.")
    ).to_be_visible()

    first = date(2026, 3, 16) - timedelta(weeks=5)
    for n in range(35):
        day = first + timedelta(days=n)
        week = n // 7
        used = day.weekday() == 5 and week % 2 == 1
        body = {"used": used, "craving": 8 if day.weekday() == 5 else 3, "mood": 3}
        assert page.request.put(f"/api/checkins/{day}", data=body, headers=headers).ok
        if week % 2 == 0 and day.weekday() == 2:
            page.request.post("/api/me/attendance", data={"date": str(day)}, headers=headers)
    page.goto("/#/home")
    page.reload()
    page.goto("/#/insights")
    expect(page.get_by_text("I uger med et møde havde du færre dage med brug.")).to_be_visible()
    weekdays = page.locator("section", has=page.get_by_role("heading", name="Trang pr. ugedag"))
    expect(weekdays.locator("tbody tr").nth(5)).to_contain_text("lørdag")
    expect(weekdays.locator("tbody tr").nth(5).locator("td").first).to_have_text("8")
    expect(page.get_by_text("ikke et løfte eller en regel")).to_be_visible()
    assert axe_violations(page) == []


def test_a_supporter_in_danish_from_code_to_encouragement(new_page: NewPage) -> None:
    person = new_page(locale="da-DK", timezone_id="Europe/Copenhagen", width=360)
    headers = _sign_in(person, "da", "Europe/Copenhagen")
    assert person.request.put(
        "/api/sobriety", data={"start_date": "2026-03-01"}, headers=headers
    ).ok
    person.goto("/#/home")
    person.reload()
    person.locator(".screen--home").wait_for()
    person.goto("/#/supporters")
    expect(person.get_by_role("heading", level=1)).to_have_text("Støttepersoner")
    # Before making the code, the person sees exactly what the supporter will see.
    preview = person.locator(".supporters__preview")
    expect(preview).to_contain_text("de milepæle, du når")
    expect(preview).not_to_contain_text("stime er")
    person.get_by_label("Mine milepæle og min nuværende stime").check()
    expect(preview).to_contain_text("hvor mange dage din nuværende stime er")
    person.get_by_role("button", name="Lav en kode").click()
    code = person.get_by_test_id("supporter-code").inner_text()
    assert len(code) == 9
    assert axe_violations(person) == []

    supporter = new_page(locale="da-DK", timezone_id="Europe/Copenhagen", width=360)
    _sign_in(supporter, "da", "Europe/Copenhagen")
    supporter.goto("/#/home")
    supporter.reload()
    supporter.locator(".screen--home").wait_for()
    supporter.goto("/#/supporters")
    supporter.get_by_label("Kode").fill(code.lower())
    supporter.get_by_role("button", name="Forbind").click()
    people = supporter.locator(".supported-list")
    expect(people).to_contain_text("Har nået 14 dage.")
    expect(people).to_contain_text("Nuværende stime: 15 dage.")
    people.get_by_role("button", name="Stolt af dig").click()
    expect(supporter.get_by_role("status").filter(has_text="Sendt.")).to_have_count(1)

    # The supporter's own home shows the person and the buttons.
    supporter.goto("/#/home")
    card = supporter.locator(".cards__item--supporters")
    expect(card).to_contain_text("Har nået 14 dage.")
    expect(card.get_by_role("button", name="Tænker på dig")).to_be_visible()

    person.reload()  # still on the supporters screen: read it again
    expect(person.locator(".encouragements")).to_contain_text("Stolt af dig")
    # Ending it at once: the supporter sees that it ended, nothing more.
    person.get_by_role("button", name="Afslut").click()
    expect(person.get_by_text("Afsluttet.")).to_be_visible()
    supporter.goto("/#/supporters")
    expect(supporter.get_by_text("Denne forbindelse er afsluttet.")).to_be_visible()
    expect(supporter.locator(".supported-list")).not_to_contain_text("Har nået")


def test_a_supporter_reads_one_day_as_one_day(new_page: NewPage) -> None:
    """The first milestone is a single day: "1 dag", never "1 dagar", reached or next."""
    supporter = new_page(locale="sv-SE", timezone_id="Europe/Stockholm", width=360)
    supporter_headers = _sign_in(supporter, "sv", "Europe/Stockholm")
    for start in ("2026-03-15", "2026-03-16"):  # one day so far, and a start today
        person = new_page(locale="sv-SE", timezone_id="Europe/Stockholm", width=360)
        headers = _sign_in(person, "sv", "Europe/Stockholm")
        assert person.request.put("/api/sobriety", data={"start_date": start}, headers=headers).ok
        made = person.request.post(
            "/api/supporters/invitations", data={"shares": ["milestones"]}, headers=headers
        )
        assert made.status == 201, made.text()
        accepted = supporter.request.post(
            "/api/supporting", data={"code": made.json()["code"]}, headers=supporter_headers
        )
        assert accepted.status == 201, accepted.text()
    supporter.goto("/#/home")
    supporter.reload()
    supporter.locator(".screen--home").wait_for()
    supporter.goto("/#/supporters")
    people = supporter.locator(".supported-list")
    expect(people).to_contain_text("Har nått 1 dag.")
    expect(people).to_contain_text("Nästa: 1 dag den")
    expect(people).to_contain_text("Nästa: 7 dagar den")
    expect(people).not_to_contain_text("1 dagar")


def test_a_supporter_whose_link_just_ended_is_told_so(new_page: NewPage) -> None:
    """The person ends the link while the supporter's screen is open: pressing an encouragement
    says the link has ended (not "something went wrong, try again")."""
    person = new_page(locale="en-GB", width=360)
    headers = _sign_in(person, "en", "Europe/Stockholm")
    made = person.request.post(
        "/api/supporters/invitations", data={"shares": ["milestones"]}, headers=headers
    )
    supporter = new_page(locale="en-GB", width=360)
    supporter_headers = _sign_in(supporter, "en", "Europe/Stockholm")
    accepted = supporter.request.post(
        "/api/supporting", data={"code": made.json()["code"]}, headers=supporter_headers
    )
    link = accepted.json()["id"]
    supporter.goto("/#/home")
    supporter.reload()
    card = supporter.locator(".cards__item--supporters")
    expect(card.get_by_role("button", name="Proud of you")).to_be_visible()
    assert person.request.delete(f"/api/supporters/{link}", headers=headers).status == 204
    card.get_by_role("button", name="Proud of you").click()
    expect(card).to_contain_text("This link has ended.")
    expect(supporter.get_by_text("Something went wrong")).to_have_count(0)
