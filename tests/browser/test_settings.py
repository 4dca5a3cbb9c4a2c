"""Settings: language, discreet mode, a new recovery code, export and deletion."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_signed_in, stored_token


def me(page: Page, token: str) -> dict[str, object]:
    answer = page.request.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200, answer.text()
    data: dict[str, object] = answer.json()
    return data


def test_switch_language_and_discreet_mode(page: Page) -> None:
    account = open_signed_in(page, locale="en")
    page.get_by_role("navigation").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    expect(page.get_by_role("heading", level=1)).to_be_focused()

    with page.expect_response(lambda r: r.url.endswith("/api/me") and r.request.method == "PATCH"):
        page.get_by_label("Language of the app").select_option("nb")
    # The whole screen speaks Norwegian at once, navigation included.
    expect(page.get_by_role("heading", level=1)).to_have_text("Innstillinger")
    expect(page.get_by_role("navigation").get_by_role("link", name="Hjem")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("status")).to_have_text("Lagret.")
    assert me(page, account["token"])["locale"] == "nb"

    discreet = page.get_by_role("switch", name="Bruk diskret modus")
    expect(discreet).not_to_be_checked()
    with page.expect_response(lambda r: r.url.endswith("/api/me") and r.request.method == "PATCH"):
        discreet.check()
    expect(page.get_by_role("status")).to_have_text("Diskret modus er på.")
    assert me(page, account["token"])["discreet"] is True

    # After a restart, the choices are still there.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Innstillinger")
    expect(page.get_by_role("switch", name="Bruk diskret modus")).to_be_checked()


def test_time_zone_is_saved(page: Page) -> None:
    account = open_signed_in(page)
    page.goto("/#/settings")
    with page.expect_response(lambda r: r.url.endswith("/api/me") and r.request.method == "PATCH"):
        page.get_by_label("Your time zone").select_option("Europe/Oslo")
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert me(page, account["token"])["timezone"] == "Europe/Oslo"


def test_renew_recovery_code(page: Page) -> None:
    account = open_signed_in(page)
    page.goto("/#/settings")
    with page.expect_response("**/api/me/recovery-code") as renewed:
        page.get_by_role("button", name="Make a new recovery code").click()
    new_code = renewed.value.json()["recovery_code"]
    expect(page.get_by_role("heading", name="Your new recovery code")).to_be_visible()
    expect(page.get_by_test_id("recovery-code")).to_have_text(new_code)
    page.get_by_role("button", name="Copy code").click()
    assert page.evaluate("navigator.clipboard.readText()") == new_code

    old = page.request.post(
        "/api/accounts/recover", data={"recovery_code": account["recovery_code"]}
    )
    assert old.status == 401


def test_export_downloads_my_data(page: Page) -> None:
    account = open_signed_in(page)
    page.goto("/#/settings")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download my data").click()
    download = downloading.value
    assert re.fullmatch(r"fotfeste-export-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    # Named by today's date in the account's time zone (Stockholm): within a day of UTC's.
    named = date.fromisoformat(download.suggested_filename[16:26])
    assert abs((named - datetime.now(UTC).date()).days) <= 1
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["account_id"] == account["account_id"]
    expect(page.get_by_role("status")).to_have_text("Your data has been downloaded.")
    # The export is never kept in the offline cache.
    cached = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        ".then(c => c.keys())))).then(lists => lists.flat().map(r => r.url))"
    )
    assert not [url for url in cached if url.endswith("/api/me/export")]


def test_delete_account(page: Page) -> None:
    account = open_signed_in(page)
    page.goto("/#/settings")
    page.get_by_role("button", name="Delete my account").click()

    dialog = page.get_by_role("dialog", name="Delete your account?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("cannot be undone")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert me(page, account["token"])["account_id"] == account["account_id"]

    page.get_by_role("button", name="Delete my account").click()
    with page.expect_response(lambda r: r.url.endswith("/api/me") and r.request.method == "DELETE"):
        dialog.get_by_role("button", name="Yes, delete everything").click()
    expect(page).to_have_url(re.compile(r"#/welcome$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Fotfeste")
    expect(page.get_by_role("status")).to_contain_text("Your account has been deleted")

    assert stored_token(page) is None
    assert page.evaluate("import('/store.js').then((store) => store.get('profile'))") is None
    api_caches = page.evaluate("caches.keys().then(names => names.filter(n => n.includes('api')))")
    assert api_caches == []
    gone = page.request.get("/api/me", headers={"Authorization": f"Bearer {account['token']}"})
    assert gone.status == 401
