"""Browser fixtures: one Debian Chromium per session, a fresh context per test, and a guard
that fails a test when the page talks to any origin but the app's own."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

    PLAYWRIGHT_MISSING = False
except ImportError:  # pragma: no cover - reported by the `browser` fixture
    PLAYWRIGHT_MISSING = True

CHROMIUM = os.environ.get("FOTFESTE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
# Schemes that never leave the device.
LOCAL_SCHEMES = {"data", "blob", "about"}


if PLAYWRIGHT_MISSING and not os.environ.get("FOTFESTE_REQUIRE_BROWSER"):
    # Without the playwright package the test modules cannot even be imported.
    collect_ignore_glob = ["test_*.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests here that start Chromium `browser`, so `-m "not browser"` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def _missing_browser_reason() -> str | None:
    if PLAYWRIGHT_MISSING:
        return "the playwright package is not installed"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def app_url(request: pytest.FixtureRequest) -> str:
    """The app under test: FOTFESTE_BROWSER_URL if set (a server you run), else `live_server`."""
    url = os.environ.get("FOTFESTE_BROWSER_URL")
    if url:
        return url.rstrip("/")
    return str(request.getfixturevalue("live_server").url).rstrip("/")


# Package scope, not session: the sync API keeps an event loop running on this thread while it
# is open, which would break the async tests (tests/unit, tests/api) that run after this folder.
# It is still one browser for the whole browser suite.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    reason = _missing_browser_reason()
    if reason:
        if os.environ.get("FOTFESTE_REQUIRE_BROWSER"):
            pytest.fail(f"FOTFESTE_REQUIRE_BROWSER is set but {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Guard:
    """Everything a context asked for, and every uncaught script error."""

    origin: str
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        own = urlsplit(self.origin)
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
        ]


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, app_url: str) -> Iterator[NewPage]:
    """Factory: `new_page(locale="sv-SE", color_scheme="dark", width=360)` → a Page in a fresh
    context (own storage, own service worker), on `app_url` unless `app=` names another server.
    Checked after the test: only the app's origin was contacted, no script error went uncaught."""
    opened: list[tuple[BrowserContext, Guard]] = []

    def make(
        locale: str = "en-GB",
        timezone_id: str = "Europe/Stockholm",
        color_scheme: str = "light",
        reduced_motion: str = "no-preference",
        width: int = 412,
        height: int = 860,
        app: str | None = None,
        **context_options: Any,
    ) -> Page:
        origin = (app or app_url).rstrip("/")
        context = browser.new_context(
            base_url=origin,
            locale=locale,
            timezone_id=timezone_id,
            color_scheme=color_scheme,  # type: ignore[arg-type]
            reduced_motion=reduced_motion,  # type: ignore[arg-type]
            viewport={"width": width, "height": height},
            accept_downloads=True,
            **context_options,
        )
        context.grant_permissions(
            ["clipboard-read", "clipboard-write", "notifications"], origin=origin
        )
        context.set_default_timeout(10_000)
        guard = Guard(origin)
        context.on("request", lambda request: guard.requests.append(request.url))
        context.on(
            "page", lambda page: page.on("pageerror", lambda e: guard.page_errors.append(str(e)))
        )
        opened.append((context, guard))
        return context.new_page()

    yield make

    problems: list[str] = []
    for context, guard in opened:
        problems += [f"request to another origin: {url}" for url in guard.foreign()]
        problems += [f"uncaught error in the page: {error}" for error in guard.page_errors]
        context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


# --- helpers the tests share ------------------------------------------------------------


def create_account(page: Page, role: str = "self", locale: str = "en") -> dict[str, Any]:
    """An account made over the API (as the onboarding screen would), not through the UI."""
    answer = page.request.post(
        "/api/accounts", data={"role": role, "locale": locale, "timezone": "Europe/Stockholm"}
    )
    assert answer.status == 201, answer.text()
    data: dict[str, Any] = answer.json()
    return data


def open_signed_in(page: Page, role: str = "self", locale: str = "en") -> dict[str, Any]:
    """A new account, its token put in the app's IndexedDB, and the app opened at #/home."""
    account = create_account(page, role, locale)
    page.goto("/#/welcome")
    page.wait_for_selector("main h1")
    page.evaluate(
        "token => import('/store.js').then((store) => store.set('token', token))", account["token"]
    )
    page.goto("/#/home")
    page.reload()  # a hash change alone would not restart the app
    page.wait_for_selector(".screen--home")
    return account


def stored_token(page: Page) -> str | None:
    token: str | None = page.evaluate("import('/store.js').then((store) => store.get('token'))")
    return token


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts, one readable line each."""
    # Let pending API answers land first: a card that re-renders when its data arrives starts a
    # colour transition, and mid-animation (a dialog fading in) colours are not the real ones.
    page.wait_for_load_state("networkidle")
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")
    if not page.evaluate("typeof window.axe === 'object'"):
        # evaluate is not bound by the page's CSP, which forbids inline scripts.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>"
        " ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'][:5])}"
        for v in results
        if v["impact"] in impacts
    ]


def deliver_push(page: Page, app_url: str, data: dict[str, Any]) -> list[list[Any]]:
    """Push `data` to the real service worker over the DevTools protocol; its notifications."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict[str, str]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(100):  # the sync API delivers CDP events while it waits
        if registrations:
            break
        page.wait_for_timeout(50)
    assert registrations, "no service worker registration reported in 5 s"
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": app_url,
            "registrationId": registrations[0]["registrationId"],
            "data": json.dumps(data),
        },
    )
    shown = (
        "navigator.serviceWorker.ready.then((r) => r.getNotifications())"
        ".then((n) => n.map((x) => [x.title, x.body, x.tag, x.data]))"
    )
    notes: list[list[Any]] = []
    for _ in range(150):  # a loaded machine can take seconds to start the worker
        notes = page.evaluate(shown)
        if notes:
            break
        page.wait_for_timeout(100)
    return notes
