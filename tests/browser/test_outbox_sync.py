"""The page and the service worker share one outbox: what the page queues offline, the worker's
Background Sync sends with no page open, by the same IndexedDB layout and the same rules."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from playwright.sync_api import CDPSession, Page, Route, expect

from tests.browser.conftest import NewPage
from tests.browser.test_recovery import TODAY, card, signed_in
from tests.conftest import LiveServer

SYNC_TAG = "fotfeste-outbox"


def checkins_on_server(live_server: LiveServer, account: dict[str, Any]) -> list[str]:
    with sqlite3.connect(live_server.database_path) as conn:
        rows = conn.execute(
            "SELECT date FROM checkins WHERE account_id = ? ORDER BY date",
            (account["account_id"],),
        ).fetchall()
    return [str(date) for (date,) in rows]


def registration_id(page: Page, cdp: CDPSession) -> str:
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # the sync API delivers CDP events while it waits
    live = [r for r in registrations if not r.get("isDeleted")]
    assert live, "no service worker registration reported"
    return str(live[-1]["registrationId"])


def test_a_checkin_queued_by_the_page_is_sent_by_the_workers_sync(
    new_page: NewPage, live_server: LiveServer, app_url: str
) -> None:
    page, account = signed_in(new_page)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    cdp = page.context.new_cdp_session(page)
    registration = registration_id(page, cdp)

    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    card(page).get_by_test_id("checkin-no").click()
    expect(page.get_by_test_id("waiting")).to_be_visible()
    queued = page.evaluate("import('/store.js').then((store) => store.pending())")
    assert [entry["id"] for entry in queued] == [f"checkin:{TODAY}"]
    assert checkins_on_server(live_server, account) == []

    # No page of the app is open any more: only the worker can send it, on the sync the browser
    # fires by itself once the network is back, or at the latest on this one.
    page.goto("about:blank")
    page.context.set_offline(False)
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": app_url, "registrationId": registration, "tag": SYNC_TAG, "lastChance": False},
    )
    deadline = time.monotonic() + 10
    while not checkins_on_server(live_server, account) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert checkins_on_server(live_server, account) == [TODAY]

    # The app, opened again, finds its outbox emptied by the worker: nothing waits, the day is in.
    page.goto("/#/home")
    expect(card(page).locator(f"[data-date='{TODAY}']")).to_have_attribute(
        "aria-label", "Monday, March 16: drug-free"
    )
    expect(page.get_by_test_id("waiting")).to_be_hidden()
    assert page.evaluate("import('/store.js').then((store) => store.pending())") == []


def test_a_checkin_the_server_is_too_busy_for_waits_like_an_offline_one(
    new_page: NewPage, live_server: LiveServer
) -> None:
    """One rule for what waits (store.js's mayWait): a 503 queues a check-in as no network does."""
    page, account = signed_in(new_page)
    busy = {"answered": 0}

    def refuse(route: Route) -> None:
        busy["answered"] += 1
        route.fulfill(status=503, json={"status_code": 503, "detail": "Busy"})

    # The context's route: the worker's Background Sync finds the server busy too.
    page.context.route("**/api/checkins/**", refuse)
    card(page).get_by_test_id("checkin-no").click()
    expect(page.get_by_test_id("waiting")).to_be_visible()
    assert busy["answered"] >= 1 and checkins_on_server(live_server, account) == []

    page.context.unroute("**/api/checkins/**")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("waiting")).to_be_hidden()
    assert checkins_on_server(live_server, account) == [TODAY]


def test_a_checkin_changed_once_the_server_is_back_is_not_undone_by_the_waiting_one(
    new_page: NewPage, live_server: LiveServer
) -> None:
    """The server was busy, so the day's first answer waits; the person then changes that day's
    check-in and it goes through at once. The waiting answer is out of date: the day no longer
    shows as waiting, and sending the outbox later does not put the old answer back."""
    page, account = signed_in(new_page)
    page.context.route(
        "**/api/checkins/**",
        lambda route: route.fulfill(status=503, json={"status_code": 503, "detail": "Busy"}),
    )
    card(page).get_by_test_id("checkin-no").click()
    expect(page.get_by_test_id("waiting")).to_be_visible()
    page.context.unroute("**/api/checkins/**")

    card(page).locator(f"[data-date='{TODAY}']").click()
    expect(page.get_by_role("radio", name="No")).to_be_checked()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_test_id("relapse")).to_be_visible()
    assert checkin_used(live_server, account) == [(TODAY, 1)]

    page.goto("/#/home")
    expect(card(page).locator(f"[data-date='{TODAY}']")).to_have_attribute(
        "aria-label", "Monday, March 16: used"
    )
    expect(page.get_by_test_id("waiting")).to_be_hidden()
    # The outbox is sent as when the network comes back; once it is empty, the day holds the
    # person's newer answer.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => import('/store.js').then((store) => store.pending()).then((p) => p.length === 0)"
    )
    assert checkin_used(live_server, account) == [(TODAY, 1)]


def checkin_used(live_server: LiveServer, account: dict[str, Any]) -> list[tuple[str, int]]:
    with sqlite3.connect(live_server.database_path) as conn:
        rows = conn.execute(
            "SELECT date, used FROM checkins WHERE account_id = ? ORDER BY date",
            (account["account_id"],),
        ).fetchall()
    return [(str(date), int(used)) for date, used in rows]
