"""What stays on a phone (issue 22, finding 11): personal answers never in Cache Storage, other
cached answers only for a week, the device list, and "sign out on this phone"."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, open_signed_in, stored_token

PERSONAL = ["/api/checkins?from=2026-03-01&to=2026-03-16", "/api/responses", "/api/plan", "/api/me"]
SHARED = "/api/help/resources"

FETCH = """([path, token]) => fetch(path, {headers: {Authorization: `Bearer ${token}`}})
  .then((r) => r.status, () => 'network error')"""
CACHED = """() => caches.keys().then((names) => Promise.all(names
  .filter((n) => n.startsWith('fotfeste-api'))
  .map((n) => caches.open(n).then((c) => c.keys()))))
  .then((lists) => lists.flat().map((r) => new URL(r.url).pathname))"""


def through_service_worker(page: Page, path: str, token: str) -> Any:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page.evaluate(FETCH, [path, token])


def test_personal_answers_are_never_cached_and_unreadable_offline_after_recovery(
    page: Page,
) -> None:
    account = open_signed_in(page)
    token = account["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert page.request.put(
        "/api/checkins/2026-03-16", data={"used": False, "note": "a hard evening"}, headers=auth
    ).ok
    for path in [*PERSONAL, SHARED]:
        assert through_service_worker(page, path, token) == 200, path
    # Let the worker finish writing what it keeps.
    page.wait_for_function(f"({CACHED})().then((paths) => paths.includes({SHARED!r}))")
    cached = page.evaluate(CACHED)
    assert SHARED in cached  # the cache works …
    assert not [p for p in cached if p.split("?")[0] in {q.split("?")[0] for q in PERSONAL}]

    # The account moves to another phone; this one is offline and still has the old token.
    recovered = page.request.post(
        "/api/accounts/recover", data={"recovery_code": account["recovery_code"]}
    )
    assert recovered.ok
    page.context.set_offline(True)
    try:
        for path in PERSONAL:
            assert through_service_worker(page, path, token) == "network error", path
    finally:
        page.context.set_offline(False)


def test_a_cached_answer_older_than_a_week_is_not_shown(page: Page) -> None:
    account = open_signed_in(page)
    token = account["token"]
    assert through_service_worker(page, SHARED, token) == 200
    page.wait_for_function(f"({CACHED})().then((paths) => paths.includes({SHARED!r}))")
    # Age the kept copy by eight days, as if the phone had lain in a drawer.
    page.evaluate(
        """async (path) => {
          const name = (await caches.keys()).find((n) => n.startsWith('fotfeste-api'));
          const cache = await caches.open(name);
          const [request] = await cache.keys(path);
          const old = await cache.match(request);
          const headers = new Headers(old.headers);
          headers.set('x-fotfeste-cached-at', String(Date.now() - 8 * 24 * 3600 * 1000));
          await cache.put(request, new Response(await old.blob(), {status: 200, headers}));
        }""",
        SHARED,
    )
    page.context.set_offline(True)
    try:
        assert through_service_worker(page, SHARED, token) == "network error"
        assert SHARED not in page.evaluate(CACHED)  # and it is gone
    finally:
        page.context.set_offline(False)
    # A fresh copy is still there for offline use.
    assert through_service_worker(page, SHARED, token) == 200
    page.wait_for_function(f"({CACHED})().then((paths) => paths.includes({SHARED!r}))")
    page.context.set_offline(True)
    try:
        assert through_service_worker(page, SHARED, token) == 200
    finally:
        page.context.set_offline(False)


def test_sign_out_on_this_phone_leaves_nothing(new_page: NewPage) -> None:
    page = new_page(locale="sv-SE")
    account = open_signed_in(page, locale="sv")
    token = account["token"]
    plan = {
        "warning_signs": [],
        "high_risk_situations": [],
        "coping_actions": [],
        "reasons": [{"id": "reason-1", "text": "min dotter"}],
        "people": [],
    }
    saved = page.request.put("/api/plan", data=plan, headers={"Authorization": f"Bearer {token}"})
    assert saved.ok, saved.text()
    page.goto("/#/plan")
    # The plan screen keeps the plan on the phone for offline use.
    page.wait_for_function(
        "() => import('/store.js').then((s) => s.get('plan'))"
        ".then((plan) => plan?.reasons?.[0]?.text === 'min dotter')"
    )
    assert through_service_worker(page, SHARED, token) == 200

    page.goto("/#/settings")
    section = page.get_by_role("region", name="Logga ut på den här telefonen")
    section.get_by_role("button", name="Logga ut på den här telefonen").click()
    dialog = page.get_by_role("dialog", name="Logga ut på den här telefonen?")
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
    dialog.get_by_role("button", name="Logga ut", exact=True).click()

    expect(page.locator(".screen--welcome, main h1").first).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Du är utloggad på den här telefonen.")
    assert page.url.endswith("#/welcome")
    assert stored_token(page) is None
    kept = page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open('fotfeste');
          open.onsuccess = () => {
            const db = open.result;
            const all = db.transaction('kv').objectStore('kv').getAllKeys();
            all.onsuccess = () => { db.close(); resolve(all.result); };
          };
        })"""
    )
    assert kept == ["locale"]  # the language, nothing of the account
    assert page.evaluate(CACHED) == []
    # The server forgot this phone's token too.
    assert page.request.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status == 401


def test_the_device_list_signs_another_device_out(page: Page) -> None:
    account = open_signed_in(page)
    other = page.request.post(
        "/api/accounts/recover",
        data={"recovery_code": account["recovery_code"], "keep_other_devices": True},
    ).json()["token"]
    page.goto("/#/settings")
    devices = page.get_by_role("region", name="Signed-in devices")
    expect(devices.get_by_role("listitem")).to_have_count(2)
    expect(devices.get_by_role("listitem").filter(has_text="This phone")).to_have_count(1)
    mine = devices.get_by_role("listitem").filter(has_text="This phone")
    expect(mine.get_by_role("button")).to_have_count(0)  # this phone signs out below
    devices.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("That device is signed out.")
    expect(devices.get_by_role("listitem")).to_have_count(1)
    assert page.request.get("/api/me", headers={"Authorization": f"Bearer {other}"}).status == 401
    assert page.request.get("/api/me", headers={"Authorization": f"Bearer {account['token']}"}).ok
