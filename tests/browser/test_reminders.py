"""The reminders screen and Web Push in a real Chromium: permission on a tap, the subscription
sent at every start, a real encrypted push delivered to the real service worker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from tests.api.push_support import tick
from tests.browser.conftest import NewPage, axe_violations, deliver_push, open_signed_in
from tests.conftest import LiveServer
from tests.push_fake import FakePushService, Subscriber


@pytest.fixture(scope="module")
def push_fake(live_server: LiveServer) -> Iterator[FakePushService]:
    fake = FakePushService(
        subject=live_server.settings.vapid_subject, now=live_server.clock.now
    ).start()
    yield fake
    fake.stop()


def stub_push_manager(page: Page, sub: Subscriber, *, subscribed: bool) -> None:
    """Headless Chromium has no push service to subscribe with (it would be Google's, off this
    machine), so the page's PushManager hands out the fake service's subscription instead. The
    service worker itself is the real one."""
    script = """
    (([endpoint, keys, subscribed]) => {{
      let current = null;
      const make = (options) => ({{
        endpoint, options, expirationTime: null,
        toJSON: () => ({{ endpoint, expirationTime: null, keys }}),
        unsubscribe: async () => {{ current = null; return true; }},
      }});
      if (subscribed) current = make({{ userVisibleOnly: true, applicationServerKey: null }});
      PushManager.prototype.subscribe = async function (options) {{
        window.__subscribeCalls = (window.__subscribeCalls || 0) + 1;
        current = make(options);
        return current;
      }};
      PushManager.prototype.getSubscription = async function () {{ return current; }};
    }})({});
    """.format(json.dumps([sub.endpoint, {"p256dh": sub.p256dh, "auth": sub.auth}, subscribed]))
    page.context.add_init_script(script)


def reminders_read_back(response: Response) -> bool:
    """The reminders screen reading its settings back after a save."""
    return response.request.method == "GET" and response.url.endswith("/api/reminders")


def test_turn_on_and_a_real_push_reaches_the_service_worker(
    new_page: NewPage, app_url: str, live_server: LiveServer, push_fake: FakePushService
) -> None:
    page = new_page()
    sub = push_fake.subscribe()
    stub_push_manager(page, sub, subscribed=False)
    open_signed_in(page)
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    # Explained first; asked only on the tap.
    expect(page.get_by_text("Reminders come as notifications on this phone")).to_be_visible()
    assert page.evaluate("window.__subscribeCalls || 0") == 0
    page.get_by_role("button", name="Turn on notifications").click()
    expect(page.get_by_test_id("push-on")).to_be_visible()
    assert page.evaluate("window.__subscribeCalls") == 1

    saves: list[str] = []
    page.on(
        "request",
        lambda r: saves.append(r.url) if r.method == "PUT" and "/api/reminders/" in r.url else None,
    )
    # Each change is saved, read back and announced; wait for the read-back each
    # time so that a late "Saved." cannot overwrite what the test button says.
    with page.expect_response(reminders_read_back):
        page.get_by_role("switch", name="Daily check-in").check()
    with page.expect_response(reminders_read_back):
        page.get_by_label("Time").fill("21:30")  # for a time field, fill fires `change` itself
    expect(page.get_by_role("checkbox", name="Sunday")).to_be_checked()
    token = page.evaluate("import('/store.js').then((s) => s.get('token'))")
    checkin: dict[str, Any] = {}
    for _ in range(50):  # the change is saved in the background
        answer = page.request.get("/api/reminders", headers={"Authorization": f"Bearer {token}"})
        checkin = answer.json()["reminders"][0]
        if checkin["time"] == "21:30":
            break
        page.wait_for_timeout(100)
    assert (checkin["enabled"], checkin["time"]) == (True, "21:30")

    page.get_by_role("button", name="Send a test notification").click()
    expect(page.get_by_role("status")).to_contain_text("A test notification is on its way.")
    # Two changes, two saves: nothing is saved twice.
    assert len(saves) == 2
    tick(live_server)
    assert push_fake.wait_for(lambda: len(push_fake.delivered_to(sub)) == 1)
    assert push_fake.errors == []
    message = push_fake.delivered_to(sub)[0]  # decrypted, as the browser would
    notes = deliver_push(page, app_url, message)
    assert notes == [
        [
            "Reminders are working",
            "This is how your reminders will look.",
            "test",
            {"url": "/#/reminders"},
        ]
    ]
    assert axe_violations(page) == []


def test_subscription_is_resent_at_start_and_discreet_in_swedish(
    new_page: NewPage, app_url: str, live_server: LiveServer, push_fake: FakePushService
) -> None:
    page = new_page(locale="sv-SE")
    sub = push_fake.subscribe()
    stub_push_manager(page, sub, subscribed=True)
    account = open_signed_in(page, locale="sv")
    headers = {"Authorization": f"Bearer {account['token']}"}
    page.request.patch("/api/me", data={"discreet": True}, headers=headers)
    # The app start sent the existing subscription: the server can push to it.
    for _ in range(50):
        if page.request.post("/api/push/test", headers=headers).json()["queued"]:
            break
        page.wait_for_timeout(100)
    tick(live_server)
    assert push_fake.wait_for(lambda: len(push_fake.delivered_to(sub)) >= 1)
    message = push_fake.delivered_to(sub)[-1]
    assert (message["title"], message["body"]) == ("Påminnelse", "Du har en ny påminnelse.")
    page.goto("/#/reminders")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Påminnelser")
    expect(page.get_by_test_id("push-on")).to_have_text("Aviseringar är på för den här telefonen.")
    expect(page.get_by_text("Diskret läge är på")).to_be_visible()
    notes = deliver_push(page, app_url, message)
    assert notes[0][:2] == ["Påminnelse", "Du har en ny påminnelse."]


def test_blocked_notifications_say_how_to_fix_it(new_page: NewPage) -> None:
    page = new_page(locale="nb-NO")
    page.context.add_init_script(
        "Object.defineProperty(Notification, 'permission', { get: () => 'denied' });"
    )
    open_signed_in(page, locale="nb")
    page.goto("/#/reminders")
    expect(page.get_by_test_id("push-blocked")).to_have_text("Varsler er blokkert for Fotfeste.")
    expect(page.get_by_text("nettstedsinnstillinger")).to_be_visible()
    expect(page.get_by_role("button", name="Slå på varsler")).to_have_count(0)


def test_iphone_in_safari_is_told_about_the_home_screen(new_page: NewPage) -> None:
    page = new_page(
        locale="da-DK",
        user_agent=(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15"
            " (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
        ),
    )
    open_signed_in(page, locale="da")
    page.goto("/#/reminders")
    expect(page.get_by_test_id("push-ios")).to_contain_text("Føj til hjemmeskærm")
    # The reminders themselves can still be set; they wait for a phone that can show them.
    expect(page.get_by_role("switch", name="Daglig check-in")).to_be_enabled()
    expect(page.get_by_role("switch", name="Milepæle")).to_be_visible()
