"""Drug-free days in the browser: start date, one-tap check-in, back-dating, warm words after use,
milestones, the calendar, and check-ins made offline that reach the server once back online."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from fotfeste.clock import FixedClock
from tests.browser.conftest import NewPage, axe_violations, open_signed_in
from tests.conftest import DEFAULT_NOW, LiveServer

# The live server's clock stands at DEFAULT_NOW (Monday 16 March 2026, noon in Stockholm); the
# page's clock is set to the same instant so that "today" agrees.
TODAY = "2026-03-16"


def signed_in(new_page: NewPage, locale: str = "en", **options: Any) -> tuple[Page, dict[str, Any]]:
    page = new_page(locale={"en": "en-GB", "sv": "sv-SE", "nb": "nb-NO", "da": "da-DK"}[locale],
                    **options)  # fmt: skip
    page.clock.set_fixed_time(DEFAULT_NOW)
    account = open_signed_in(page, role="self", locale=locale)
    return page, account


def api(page: Page, account: dict[str, Any], method: str, path: str, body: Any = None) -> Any:
    answer = page.request.fetch(
        path,
        method=method,
        headers={"Authorization": f"Bearer {account['token']}"},
        data=body,
    )
    assert answer.ok, answer.text()
    return answer.json()


def card(page: Page) -> Any:
    return page.locator(".card--progress")


def counting_since_march_first(new_page: NewPage) -> tuple[Page, dict[str, Any]]:
    """Signed in, drug-free since 1 March, with the service worker in charge (the app works
    offline from here)."""
    page, account = signed_in(new_page)
    api(page, account, "PUT", "/api/sobriety", {"start_date": "2026-03-01"})
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    return page, account


def go_offline(page: Page) -> None:
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")


def test_start_date_then_one_tap_checkin(new_page: NewPage) -> None:
    page, account = signed_in(new_page)
    progress = card(page)
    expect(progress.get_by_role("heading", name="Drug-free days")).to_be_visible()
    progress.get_by_label("Start date").fill("2026-03-01")
    progress.get_by_role("button", name="Save").click()
    expect(progress.locator(".streak")).to_contain_text("15 drug-free days")
    expect(progress).to_contain_text("Next milestone: 30 days, on March 31, 2026")
    expect(progress).to_contain_text("Longest streak")

    progress.get_by_test_id("checkin-no").click()
    expect(progress).to_contain_text("You've checked in today – a drug-free day.")
    expect(page.get_by_role("status")).to_contain_text("Thank you for checking in.")
    today = progress.locator(f"[data-date='{TODAY}']")
    expect(today).to_have_attribute("aria-label", "Monday, March 16: drug-free")
    checkins = api(page, account, "GET", f"/api/checkins?from={TODAY}&to={TODAY}")["checkins"]
    assert [(c["date"], c["used"]) for c in checkins] == [(TODAY, False)]
    assert axe_violations(page) == []


def test_backdating_from_the_strip_with_details(new_page: NewPage) -> None:
    page, account = signed_in(new_page)
    api(page, account, "PUT", "/api/sobriety", {"start_date": "2026-02-01"})
    page.reload()
    card(page).locator("[data-date='2026-03-13']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in")
    expect(page.locator("form legend").first).to_have_text(
        "Friday, March 13: did you use alcohol or drugs?"
    )
    page.get_by_role("radio", name="No").check()
    page.get_by_label("Craving").fill("4")
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Note (only you can see it)").fill("A walk by the sea helped.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".screen--home")).to_be_visible()
    expect(card(page).locator("[data-date='2026-03-13']")).to_have_attribute(
        "aria-label", "Friday, March 13: drug-free"
    )
    saved = api(page, account, "GET", "/api/checkins?from=2026-03-13&to=2026-03-13")["checkins"]
    assert saved[0]["mood"] == 4 and saved[0]["craving"] == 4
    assert saved[0]["note"] == "A walk by the sea helped."
    # Older days are shown but not open for a late check-in.
    assert card(page).locator("[data-date='2026-03-01']").count() == 0


def test_use_is_met_with_warm_words_in_swedish(new_page: NewPage) -> None:
    page, account = signed_in(new_page, locale="sv")
    api(page, account, "PUT", "/api/sobriety", {"start_date": "2026-02-14"})
    page.reload()
    progress = card(page)
    expect(progress.locator(".streak")).to_contain_text("30 drogfria dagar")
    progress.get_by_test_id("checkin-yes").click()
    relapse = page.get_by_test_id("relapse")
    expect(relapse).to_contain_text("Tack för att du är ärlig")
    expect(relapse).to_contain_text("Dina 30 drogfria dagar finns kvar")
    relapse.get_by_role("link", name="Få hjälp nu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjälp")
    progress_now = api(page, account, "GET", "/api/progress")
    assert progress_now["current_streak_days"] == 0
    assert progress_now["streak_start"] == "2026-03-17"
    assert progress_now["drug_free_days_total"] == 30


def test_use_on_the_first_day_counts_no_zero_days(new_page: NewPage) -> None:
    """Use on the day the drug-free time began: warm words, but no "your 0 drug-free days"."""
    page, account = signed_in(new_page)
    api(page, account, "PUT", "/api/sobriety", {"start_date": TODAY})
    page.reload()
    card(page).get_by_test_id("checkin-yes").click()
    relapse = page.get_by_test_id("relapse")
    expect(relapse).to_contain_text("Thank you for being honest")
    expect(relapse).to_contain_text("Tomorrow is the first day of a new streak.")
    expect(relapse).not_to_contain_text("0 drug-free days")
    assert api(page, account, "GET", "/api/progress")["drug_free_days_total"] == 0


def test_checkin_screen_names_substances_after_use_in_danish(new_page: NewPage) -> None:
    page, account = signed_in(new_page, locale="da")
    card(page).locator(f"[data-date='{TODAY}']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indtjekning")
    page.get_by_role("radio", name="Ja").check()
    page.get_by_label("Alkohol").check()
    page.get_by_label("Hash/cannabis").check()
    page.get_by_role("button", name="Gem indtjekningen").click()
    expect(page.get_by_test_id("relapse")).to_contain_text("Tak, fordi du er ærlig")
    saved = api(page, account, "GET", f"/api/checkins?from={TODAY}&to={TODAY}")["checkins"]
    assert saved[0]["used"] is True and saved[0]["substances"] == ["alcohol", "cannabis"]


def test_milestone_is_celebrated_once_and_respects_reduced_motion(new_page: NewPage) -> None:
    page, account = signed_in(new_page, locale="nb", reduced_motion="reduce")
    api(page, account, "PUT", "/api/sobriety", {"start_date": "2026-03-09"})
    page.reload()
    celebration = page.get_by_test_id("celebration")
    expect(celebration).to_contain_text("7 dager!")
    badge = celebration.locator(".celebration__badge")
    assert badge.evaluate("el => getComputedStyle(el).animationName") == "none"
    celebration.get_by_role("button", name="Takk").click()
    expect(celebration).to_be_hidden()
    page.reload()
    expect(card(page).locator(".streak")).to_contain_text("7 rusfrie dager")
    expect(page.get_by_test_id("celebration")).to_be_hidden()


def test_celebration_moves_when_motion_is_welcome(new_page: NewPage) -> None:
    page, account = signed_in(new_page)
    api(page, account, "PUT", "/api/sobriety", {"start_date": "2026-02-14"})
    page.reload()
    badge = page.get_by_test_id("celebration").locator(".celebration__badge")
    expect(badge).to_have_text("30")
    assert badge.evaluate("el => getComputedStyle(el).animationName") == "celebrate"


def test_calendar_shows_past_months(new_page: NewPage) -> None:
    page, account = signed_in(new_page, locale="nb", color_scheme="dark", width=360)
    api(page, account, "PUT", "/api/sobriety", {"start_date": "2026-01-01"})
    for day, used in (("2026-02-10", False), ("2026-02-11", True), ("2026-03-15", False)):
        api(page, account, "PUT", f"/api/checkins/{day}", {"used": used})
    page.reload()
    card(page).get_by_role("link", name="Kalender").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalender")
    expect(page.locator("caption")).to_have_text("mars 2026")
    expect(page.get_by_test_id("month-summary")).to_have_text(
        "Rusfrie innsjekkinger: 1. Dager med bruk: 0."
    )
    expect(page.get_by_role("button", name="Neste måned")).to_be_disabled()
    page.get_by_role("button", name="Forrige måned").click()
    expect(page.locator("caption")).to_have_text("februar 2026")
    expect(page.get_by_test_id("month-summary")).to_have_text(
        "Rusfrie innsjekkinger: 1. Dager med bruk: 1."
    )
    expect(page.get_by_role("img", name="onsdag 11. februar: brukt")).to_be_visible()
    assert axe_violations(page) == []


def test_offline_checkins_wait_and_reach_the_server_once(
    new_page: NewPage, live_server: LiveServer
) -> None:
    page, account = counting_since_march_first(new_page)
    expect(card(page).locator(".streak")).to_contain_text("15 drug-free days")

    go_offline(page)
    card(page).get_by_test_id("checkin-no").click()
    expect(page.get_by_role("status")).to_contain_text("It will be sent when you're online again")
    card(page).locator("[data-date='2026-03-15']").click()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save check-in").click()
    waiting = page.get_by_test_id("waiting")
    expect(waiting).to_contain_text("2 check-ins are waiting to be sent:")
    expect(card(page).locator(f"[data-date='{TODAY}']")).to_have_attribute(
        "aria-label", "Monday, March 16: waiting to be sent"
    )
    assert api_count(live_server, account) == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(waiting).to_be_hidden()
    expect(card(page).locator(f"[data-date='{TODAY}']")).to_have_attribute(
        "aria-label", "Monday, March 16: drug-free"
    )
    saved = api(page, account, "GET", "/api/checkins?from=2026-03-01")["checkins"]
    assert [(c["date"], c["used"]) for c in saved] == [("2026-03-15", False), (TODAY, False)]
    assert api_count(live_server, account) == 2
    pending = page.evaluate("import('/store.js').then((store) => store.pending())")
    assert pending == []


def test_noting_use_offline_keeps_what_the_waiting_checkin_says(
    new_page: NewPage, live_server: LiveServer
) -> None:
    """Offline, today's check-in (mood, note) waits in the outbox; then "Note that I used today"
    on the I used screen. Both reach the server: the use, and the mood and note written before."""
    page, account = counting_since_march_first(new_page)

    go_offline(page)
    card(page).locator(f"[data-date='{TODAY}']").click()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("radio", name="Low", exact=True).check()
    page.get_by_label("Note (only you can see it)").fill("A hard evening at home.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_test_id("waiting")).to_contain_text("1 check-in is waiting to be sent:")

    page.goto("/#/used")
    page.get_by_role("button", name="Note that I used today").click()
    expect(page.get_by_role("status").filter(has_text="Noted")).not_to_have_count(0)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => import('/store.js').then((store) => store.pending()).then((p) => p.length === 0)"
    )
    saved = api(page, account, "GET", f"/api/checkins?from={TODAY}&to={TODAY}")["checkins"]
    assert [(c["used"], c["mood"], c["note"]) for c in saved] == [
        (True, 2, "A hard evening at home.")
    ]


def test_an_offline_checkin_the_server_refuses_is_not_dropped_silently(
    new_page: NewPage, live_server: LiveServer, clock: FixedClock
) -> None:
    page, account = counting_since_march_first(new_page)

    go_offline(page)
    card(page).get_by_test_id("checkin-no").click()
    expect(page.get_by_test_id("waiting")).to_be_visible()
    # Meanwhile the server's day is still yesterday (the phone's clock ran ahead): it will
    # refuse a check-in for a day after its today.
    clock.advance(timedelta(days=-1))

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status")).to_contain_text(
        "Something you saved while offline could not be stored, so it was removed."
    )
    expect(page.get_by_test_id("waiting")).to_be_hidden()
    assert api_count(live_server, account) == 0
    assert page.evaluate("import('/store.js').then((store) => store.pending())") == []


def api_count(live_server: LiveServer, account: dict[str, Any]) -> int:
    with sqlite3.connect(live_server.database_path) as conn:
        count: int = conn.execute(
            "SELECT count(*) FROM checkins WHERE account_id = ?", (account["account_id"],)
        ).fetchone()[0]
    return count
