"""The app on a 360×740 phone: the tab bar, home's first screenful, first-load bytes, HEAD, and
no console message on any screen, in all four languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.lighthouse import measure_first_load
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, create_account, open_signed_in
from tests.server import ServerProcess

WIDTH, HEIGHT = 360, 740
NAV_SHARE = 0.12  # of the screen's height, at most
FIRST_LOAD_LIMIT = 100 * 1024
LANGUAGES = {"sv": "sv-SE", "nb": "nb-NO", "da": "da-DK", "en": "en-GB"}
TABS = {
    "sv": ["Hem", "Möten", "Uppföljning", "Hjälp"],
    "nb": ["Hjem", "Møter", "Oppfølging", "Hjelp"],
    "da": ["Hjem", "Møder", "Opfølgning", "Hjælp"],
    "en": ["Home", "Meetings", "Follow-up", "Help"],
}
NAV_LABEL = {"sv": "Huvudmeny", "nb": "Hovedmeny", "da": "Hovedmenu", "en": "Main menu"}
SCREENS = [
    "home",
    "meetings",
    "scales",
    "checkup",
    "help",
    "craving",
    "used",
    "crisis",
    "plan",
    "settings",
    "reminders",
    "history",
    "checkin",
    "waiting",
    "family",
]

LAYOUT = """() => {
  const nav = document.querySelector('.tab-bar').getBoundingClientRect();
  const links = [...document.querySelectorAll('.tab-bar__link')].map((a) => {
    const r = a.getBoundingClientRect();
    const label = a.querySelector('.tab-bar__label');
    const lr = label.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, width: r.width, height: r.height,
            labelHeight: lr.height, lineHeight: parseFloat(getComputedStyle(label).lineHeight),
            clipped: label.scrollWidth > label.clientWidth + 1,
            labelShown: lr.width > 1 && lr.height > 1};
  });
  const header = document.querySelector('.app-header').getBoundingClientRect();
  return {nav: {top: nav.top, height: nav.height, bottom: nav.bottom}, links,
          header: header.height, pageWidth: document.documentElement.scrollWidth};
}"""


def visible_within(page: Page, selector: str, bottom: float) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bottom


def set_start_date(page: Page, token: str, start: str = "2026-02-01") -> None:
    answer = page.request.put(
        "/api/sobriety",
        data={"start_date": start},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.ok, answer.text()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_tab_bar_and_home_at_360(new_page: NewPage, lang: str) -> None:
    page = new_page(locale=LANGUAGES[lang], width=WIDTH, height=HEIGHT)
    account = open_signed_in(page, locale=lang)
    nav = page.get_by_role("navigation", name=NAV_LABEL[lang])
    expect(nav.get_by_role("link")).to_have_text(TABS[lang])
    expect(nav.get_by_role("link", name=TABS[lang][0])).to_have_attribute("aria-current", "page")

    layout = page.evaluate(LAYOUT)
    print(f"\n{lang}: tab bar {layout['nav']['height']:.0f} px of {HEIGHT}")
    assert layout["nav"]["height"] <= NAV_SHARE * HEIGHT
    assert layout["nav"]["bottom"] == pytest.approx(HEIGHT, abs=1)  # at the thumb
    assert layout["pageWidth"] <= WIDTH  # nothing wider than the phone
    assert layout["header"] <= 64  # one row
    assert len({round(link["top"]) for link in layout["links"]}) == 1  # one row of tabs
    for link in layout["links"]:
        assert link["labelShown"] and not link["clipped"]
        assert link["labelHeight"] <= 1.5 * link["lineHeight"]  # one line
        assert link["height"] >= 44 and link["width"] >= 44  # touch targets

    # No start date yet: the question and today's check-in come first, above the tab bar.
    fold = layout["nav"]["top"]
    assert visible_within(page, ".start-date", fold)
    assert visible_within(page, ".today-checkin", fold)

    set_start_date(page, account["token"])
    page.reload()
    page.wait_for_selector(".streak")
    # A milestone reached is celebrated first, once; then the streak and the check-in lead.
    celebration = page.get_by_test_id("celebration")
    if celebration.count():
        celebration.get_by_role("button").click()
        expect(celebration).to_have_count(0)
    assert visible_within(page, ".streak", fold)
    assert visible_within(page, ".today-checkin", fold)


def test_sections_and_header_links(new_page: NewPage) -> None:
    page = new_page(width=WIDTH, height=HEIGHT)
    open_signed_in(page)
    tabs = page.locator("nav.tab-bar")
    page.goto("/#/checkin")
    expect(tabs.get_by_role("link", name="Home")).to_have_attribute("aria-current", "true")
    shortcuts = page.get_by_role("navigation", name="Shortcuts")
    shortcuts.get_by_role("link", name="Reminders").click()
    expect(page.locator("main h1")).to_be_focused()
    expect(shortcuts.get_by_role("link", name="Reminders")).to_have_attribute(
        "aria-current", "page"
    )
    expect(tabs.locator("[aria-current]")).to_have_count(0)
    shortcuts.get_by_role("link", name="Settings").click()
    expect(page.locator(".screen--settings")).to_be_visible()
    tabs.get_by_role("link", name="Follow-up").click()
    expect(tabs.get_by_role("link", name="Follow-up")).to_have_attribute("aria-current", "page")


def test_focus_goes_header_screen_tabs(new_page: NewPage) -> None:
    """The tab bar comes after the screen in the page, as it does on the screen."""
    page = new_page(width=WIDTH, height=HEIGHT)
    open_signed_in(page)
    page.reload()  # focus back at the start of the page
    page.wait_for_selector(".screen--home .today-checkin")
    order: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        where = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.closest('.tab-bar') ? 'tabs' : e.closest('main') ? 'main'"
            " : e.closest('header') ? 'header' : e.classList.contains('skip-link') ? 'skip'"
            " : 'other'; }"
        )
        if not order or order[-1] != where:
            order.append(where)
        if where == "tabs":
            break
    assert order[:4] == ["skip", "header", "main", "tabs"], order


def test_large_text_never_hides_content_under_the_tab_bar(new_page: NewPage) -> None:
    """At 200 % text the tabs shrink to icons (their names stay for screen readers), and the
    end of every screen can be scrolled clear of the bar, with a home indicator's inset too."""
    page = new_page(locale="da-DK", width=WIDTH, height=HEIGHT)
    open_signed_in(page, locale="da")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setSafeAreaInsetsOverride", {"insets": {"bottom": 34}})
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32}})
    page.reload()
    page.wait_for_selector(".screen--home")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    tabs = page.locator("nav.tab-bar")
    for name in TABS["da"]:
        expect(tabs.get_by_role("link", name=name)).to_be_visible()
    layout = page.evaluate(LAYOUT)
    print(f"\nda at 200 %: tab bar {layout['nav']['height']:.0f} px of {HEIGHT}")
    assert not any(link["labelShown"] for link in layout["links"])
    assert layout["pageWidth"] <= WIDTH
    # The app's name stays one word on one line; the header's icons go under it if need be.
    brand = page.locator(".brand span")
    assert brand.evaluate("(e) => e.getBoundingClientRect().height") <= 1.5 * brand.evaluate(
        "(e) => parseFloat(getComputedStyle(e).lineHeight)"
    )
    assert layout["nav"]["height"] <= NAV_SHARE * HEIGHT + 34  # the inset comes on top
    for screen in ("home", "settings", "help"):
        page.goto(f"/#/{screen}")
        page.wait_for_selector("main h1")
        page.wait_for_load_state("networkidle")
        page.mouse.wheel(0, 100_000)
        # A card that draws its data late makes the page taller after the first scroll: keep
        # scrolling to the end until the end stays put.
        page.wait_for_function(
            "() => { scrollTo(0, document.documentElement.scrollHeight);"
            " return window.scrollY + innerHeight >= document.body.scrollHeight - 2; }"
        )
        last = page.evaluate(
            "() => { const all = [...document.querySelectorAll('main *')].filter((e) =>"
            " e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');"
            " return Math.max(...all.map((e) => e.getBoundingClientRect().bottom)); }"
        )
        top = page.evaluate("document.querySelector('.tab-bar').getBoundingClientRect().top")
        assert last <= top, f"{screen}: content ends at {last}, the tab bar starts at {top}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_console_message_on_any_screen(new_page: NewPage, lang: str) -> None:
    page = new_page(locale=LANGUAGES[lang], width=WIDTH, height=HEIGHT)
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else 0,
    )
    for before_an_account in ("/", "/#/recover", "/#/help"):
        page.goto(before_an_account)
        page.wait_for_selector("main h1")
        page.wait_for_load_state("networkidle")
    open_signed_in(page, locale=lang)
    for screen in SCREENS:
        page.goto(f"/#/{screen}")
        page.wait_for_selector(f"main h1, .screen--{screen}")
        page.wait_for_load_state("networkidle")
    assert messages == []


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """`fotfeste serve` itself in a subprocess, as `make run` starts it."""
    server = ServerProcess(Path(tmp_path_factory.mktemp("serve")) / "data").start()
    yield server
    server.stop()


def test_first_load_is_under_100_kb(new_page: NewPage, served: ServerProcess) -> None:
    """Bytes on the wire, headers included, for a new visitor and a signed-in cold start."""
    page = new_page(locale="sv-SE", width=WIDTH, height=HEIGHT, app=served.url)
    welcome = measure_first_load(page, "/")
    token = create_account(page, locale="sv")["token"]
    page.evaluate("t => import('/store.js').then((s) => s.set('token', t))", token)
    page.evaluate(
        "navigator.serviceWorker.getRegistrations()"
        ".then((rs) => Promise.all(rs.map((r) => r.unregister())))"
        ".then(() => caches.keys()).then((ks) => Promise.all(ks.map((k) => caches.delete(k))))"
    )
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    home = measure_first_load(page, "/#/home", ".screen--home")
    print(f"\nfirst load: welcome {welcome:,} B, home {home:,} B")
    assert welcome <= FIRST_LOAD_LIMIT
    assert home <= FIRST_LOAD_LIMIT


def test_head_like_get(page: Page) -> None:
    for path in ("/", "/sw.js", "/manifest.webmanifest", "/api/health"):
        get = page.request.get(path)
        head = page.request.head(path)
        assert head.status == get.status == 200, path
        assert head.body() == b""
        assert head.headers["content-type"] == get.headers["content-type"]
