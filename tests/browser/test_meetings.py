"""The meeting finder in a real Chromium: near me, a typed place, online, the meeting screen,
favourites and "I went" on home, offline, in Swedish, Danish and English."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fotfeste.clock import FixedClock
from fotfeste.meetings.logic import meeting_id
from tests.api.meetings_fixtures import run_import, write_feed
from tests.browser.conftest import NewPage, axe_violations, open_signed_in
from tests.conftest import LiveServer

STOCKHOLM = {"latitude": 59.3293, "longitude": 18.0686}
# "i dag 19:00 · om 7 timmar · 0,7 km": day, clock time, how soon (not said for a start tomorrow
# more than 12 hours away: the day says it), distance.
WHEN_SV = re.compile(r"^(i dag|i morgon|\w+dag) \d\d[:.]\d\d( · om .+)? · \d+(,\d)? km$")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the demo meetings, its clock at the real time (the browser's clock)."""
    from tests.conftest import make_settings, start_server

    settings = make_settings(tmp_path_factory.mktemp("meetings-demo"), demo=True)
    server = start_server(settings, FixedClock(datetime.now(UTC)))
    yield server
    server.stop()


@pytest.fixture
def demo_page(new_page: NewPage, demo_server: LiveServer) -> Callable[..., Page]:
    def make(**options: object) -> Page:
        page = new_page(app=demo_server.url, **options)
        if "geolocation" in options:
            page.context.grant_permissions(
                ["geolocation", "clipboard-read", "clipboard-write", "notifications"],
                origin=demo_server.url,
            )
        return page

    return make


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)


def test_near_me_detail_favourite_and_i_went_in_swedish(demo_page: Callable[..., Page]) -> None:
    page = demo_page(locale="sv-SE", geolocation=STOCKHOLM)
    open_signed_in(page, locale="sv")
    expect(page.get_by_test_id("meetings-attended")).to_have_text("0 möten de senaste 30 dagarna")
    page.get_by_role("navigation").get_by_role("link", name="Möten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hitta ett möte")
    # Nothing is asked before the tap.
    page.get_by_test_id("near-me").click()
    results = page.get_by_test_id("meeting-results").locator(".meeting-item")
    expect(results.first).to_contain_text("Stockholm (demo)")
    assert results.count() >= 7
    when = results.first.locator(".meeting-item__when").inner_text()
    assert WHEN_SV.match(when), when
    distances = [
        float(re.search(r"([\d,]+) km$", t).group(1).replace(",", "."))  # type: ignore[union-attr]
        for t in results.locator(".meeting-item__when").all_inner_texts()
    ]
    assert distances == sorted(distances)

    # Filters: closed meetings only (they are folded into one line: open it first).
    page.get_by_test_id("filters").locator("summary").click()
    page.get_by_label("Öppet eller slutet").select_option("closed")
    expect(page.get_by_test_id("filters").locator("summary")).to_contain_text("Filtrera · 1")
    expect(results.filter(has_text="öppet")).to_have_count(0)
    expect(results.first).to_be_visible()
    for meta in results.locator(".meeting-item__meta").all_inner_texts():
        assert "slutet" in meta

    results.first.locator("a").click()
    detail = page.get_by_test_id("meeting-detail")
    expect(detail).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stockholm (demo)")
    expect(detail).to_contain_text("Slutet möte")  # a type, in words
    # The navigation still says where the person is: in "Möten".
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Möten")).to_have_attribute("aria-current", "true")
    expect(nav.get_by_role("link", name="Hem")).not_to_have_attribute(
        "aria-current", re.compile(".")
    )
    expect(page.get_by_test_id("geo-link")).to_have_attribute(
        "href", re.compile(r"^geo:59\.\d+,18\.\d+")
    )
    expect(page.get_by_test_id("osm-link")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/\?mlat=59\.\d+&mlon=18\.\d+")
    )
    calendar = page.get_by_test_id("calendar-link")
    with page.expect_download() as download:
        calendar.click()
    assert "RRULE:FREQ=WEEKLY" in Path(download.value.path()).read_text(encoding="utf-8")

    page.get_by_test_id("favourite").click()
    expect(page.get_by_test_id("favourite")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status")).to_have_text("Sparat som favorit.")
    page.get_by_test_id("i-went").click()
    expect(page.get_by_role("status")).to_have_text("Antecknat. Bra att du gick dit.")
    expect(page.get_by_test_id("i-went")).to_be_disabled()

    page.get_by_role("navigation").get_by_role("link", name="Hem").click()
    expect(page.get_by_test_id("meetings-attended")).to_have_text("1 möte de senaste 30 dagarna")
    expect(page.get_by_test_id("meetings-card")).to_contain_text("Nästa favorit:")


def first_screen(page: Page) -> dict[str, float]:
    """Where the first result is, without any scrolling: the page stays at the top."""
    box: dict[str, float] = page.evaluate(
        "() => { const r = document.querySelector('[data-testid=meeting-results] .meeting-item')"
        ".getBoundingClientRect(); return {scroll: scrollY, top: r.top, bottom: r.bottom,"
        " height: innerHeight}; }"
    )
    return box


def names(page: Page) -> list[str]:
    items = page.get_by_test_id("meeting-results").locator(".meeting-item__name")
    return [name.strip(" ★") for name in items.all_inner_texts()]


def test_the_finder_on_a_small_phone_in_swedish(demo_page: Callable[..., Page]) -> None:
    page = demo_page(locale="sv-SE", width=360, height=740, geolocation=STOCKHOLM)
    open_signed_in(page, locale="sv")
    page.goto("/#/meetings")
    filters = page.get_by_test_id("filters")
    expect(filters.locator("summary")).to_have_text("Filtrera")
    page.get_by_test_id("near-me").click()
    results = page.get_by_test_id("meeting-results").locator(".meeting-item")
    expect(results.first).to_contain_text("Stockholm (demo)")
    # The first result is on the first screen: the place and the filters have folded away.
    box = first_screen(page)
    assert box["scroll"] == 0 and box["bottom"] <= box["height"], box
    expect(page.get_by_test_id("place-fold").locator("summary")).to_contain_text("Plats: nära dig")
    expect(filters).not_to_have_attribute("open", re.compile(".*"))

    # Nearest first, then "Nästa": the soonest start first, as the server orders it.
    nearest = page.get_by_test_id("order-distance")
    soonest = page.get_by_test_id("order-next")
    expect(nearest).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("group", name="Visa först")).to_be_visible()
    by_distance = names(page)
    soonest.click()
    expect(soonest).to_have_attribute("aria-pressed", "true")
    expect(nearest).to_have_attribute("aria-pressed", "false")
    point = {"lat": 59.329, "lon": 18.069, "radius_km": 25}  # the app keeps ~100 m
    answer = page.request.get("/api/meetings/nearby", params={**point, "order": "next"})
    by_start = [m["name"] for m in answer.json()["meetings"]]
    expect(
        page.get_by_test_id("meeting-results").locator(".meeting-item__name").first
    ).to_have_text(re.compile(re.escape(by_start[0])))
    assert names(page) == by_start
    assert by_start != by_distance and sorted(by_start) == sorted(by_distance)
    box = first_screen(page)
    assert box["scroll"] == 0 and box["bottom"] <= box["height"], box

    # Two filters on: the folded line says how many; a tap opens and closes it.
    filters.locator("summary").click()
    expect(filters).to_have_attribute("open", "")
    page.get_by_label("Gemenskap").select_option("AA")
    page.get_by_label("Öppet eller slutet").select_option("open")
    expect(filters.locator("summary")).to_contain_text("Filtrera · 2")
    expect(results.first).to_be_visible()
    for meta in results.locator(".meeting-item__meta").all_inner_texts():
        assert meta.startswith("AA · öppet"), meta
    filters.locator("summary").click()
    expect(filters).not_to_have_attribute("open", re.compile(".*"))
    assert axe_violations(page) == []

    # Kept on the phone: back on the finder, the same order and filters.
    page.reload()
    expect(page.get_by_test_id("filters").locator("summary")).to_contain_text("Filtrera · 2")
    expect(page.get_by_test_id("order-next")).to_have_attribute("aria-pressed", "true")


def test_how_soon_and_how_far_a_meeting_is_in_swedish(demo_page: Callable[..., Page]) -> None:
    page = demo_page(locale="sv-SE")
    open_signed_in(page, locale="sv")
    lines = page.evaluate(
        # The module the app itself loaded (under its versioned path), with its languages set.
        """() => import(document.querySelector('script[type="module"]').src
            .replace(/app[.]js$/, 'views/meeting-parts.js')).then(({ whenLine }) => {
          const now = new Date('2026-12-03T14:45:00+01:00');  // a Thursday afternoon
          const at = (next_start, more = {}) => whenLine(
            { next_start, attendance: 'in_person', distance_km: 1.25, ...more },
            'Europe/Stockholm', now);
          return [
            at('2026-12-03T19:00:00+01:00'),
            at('2026-12-04T00:15:00+01:00'),
            at('2026-12-04T19:00:00+01:00'),
            at('2026-12-05T10:00:00+01:00'),
            at('2026-12-05T10:00:00+01:00', { attendance: 'online' }),
            at('2026-12-05T10:00:00+01:00', { attendance: 'hybrid' }),
            at('2026-12-05T10:00:00+01:00', { attendance: 'hybrid', temporarily_closed: true }),
          ];
        })"""
    )
    assert lines == [
        "i dag 19:00 · om 4 timmar · 1,3 km",
        "i morgon 00:15 · om 9 timmar · 1,3 km",  # past midnight, still "in hours"
        "i morgon 19:00 · 1,3 km",
        "lördag 10:00 · om 2 dagar · 1,3 km",  # two days, not "tomorrow"
        "lördag 10:00 · om 2 dagar",  # online: no distance, whatever a stale copy says
        "lördag 10:00 · om 2 dagar · 1,3 km",  # hybrid: a place and a link
        "lördag 10:00 · om 2 dagar",  # hybrid, but the place is closed: online only
    ]


def add_meetings(
    server: LiveServer, tmp_path: Path, source: str, records: list[dict[str, Any]]
) -> None:
    """Meetings of a feed of their own, imported into the running demo server."""
    feed = write_feed(tmp_path / f"{source}.json", records)
    done = run_import(
        server.settings.data_dir, str(feed), "--format", "meeting-guide", "--source", source
    )
    assert done.returncode == 0, done.stderr


def test_a_closed_meeting_place_says_so(
    demo_page: Callable[..., Page], demo_server: LiveServer, tmp_path: Path
) -> None:
    closed = {
        "slug": "closed",
        "name": "Stängda lokalen (test)",
        "day": 3,
        "time": "18:00",
        "timezone": "Europe/Stockholm",
        "types": ["O", "TC"],
        "formatted_address": "Bergmästaregatan 1, 981 31 Kiruna, Sweden",
        "latitude": 67.8558,
        "longitude": 20.2253,
    }
    add_meetings(demo_server, tmp_path, "test-closed", [closed])
    page = demo_page(locale="sv-SE", width=360, height=740)
    account = open_signed_in(page, locale="sv")
    the_id = meeting_id("test-closed", "closed")
    saved = page.request.put(
        f"/api/me/favourites/{the_id}", headers={"Authorization": f"Bearer {account['token']}"}
    )
    assert saved.ok, saved.text()
    page.goto("/#/meetings")
    item = page.get_by_test_id("meeting-favourites").locator(".meeting-item")
    expect(item).to_contain_text("Stängda lokalen (test)")
    expect(item.locator(".meeting-item__closed")).to_have_text("Lokalen är tillfälligt stängd")
    item.locator("a").click()
    expect(page.get_by_test_id("temporarily-closed")).to_have_text(
        "Möteslokalen är tillfälligt stängd. Kolla innan du går dit."
    )


def test_typed_place_and_offline_results_in_danish(demo_page: Callable[..., Page]) -> None:
    page = demo_page(locale="da-DK", timezone_id="Europe/Copenhagen")
    open_signed_in(page, locale="da")
    wait_for_service_worker(page)
    page.goto("/#/meetings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find et møde")
    page.get_by_label("Eller skriv en by").fill("aarhus")
    page.get_by_role("button", name=re.compile("^Århus")).click()
    results = page.get_by_test_id("meeting-results").locator(".meeting-item")
    expect(results.first).to_contain_text("Aarhus (demo)")
    expect(page.get_by_role("heading", level=2, name=re.compile("Møder – Århus"))).to_be_visible()
    first_name = results.first.locator(".meeting-item__name").inner_text()
    results.first.locator("a").click()
    page.get_by_test_id("favourite").click()
    expect(page.get_by_test_id("favourite")).to_have_attribute("aria-pressed", "true")

    page.context.set_offline(True)
    page.goto("/#/meetings")
    page.reload()
    expect(page.get_by_test_id("meeting-results").locator(".meeting-item").first).to_contain_text(
        "Aarhus (demo)"
    )
    expect(page.get_by_test_id("meeting-favourites")).to_contain_text(first_name.strip(" ★"))
    # A meeting seen before opens offline too.
    page.get_by_test_id("meeting-favourites").locator("a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aarhus (demo)")
    # "I went" offline waits in the outbox and is sent once the phone is online again.
    page.get_by_test_id("i-went").click()
    expect(page.get_by_role("status")).to_have_text("Noteret. Det gemmes, når du er online igen.")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.goto("/#/home")
    expect(page.get_by_test_id("meetings-attended")).to_have_text("1 møde de seneste 30 dage")


def test_online_meetings_have_a_join_link_in_english(demo_page: Callable[..., Page]) -> None:
    page = demo_page(locale="en-GB")
    open_signed_in(page, locale="en")
    page.goto("/#/meetings")
    page.get_by_role("button", name="Online").click()
    results = page.get_by_test_id("meeting-results").locator(".meeting-item")
    expect(results.first).to_be_visible()
    for meta in results.locator(".meeting-item__meta").all_inner_texts()[:10]:
        assert "online" in meta
    # An online meeting is no place to go: no address and no distance. A hybrid one has both.
    kinds = set()
    for item in results.all()[:20]:
        hybrid = item.locator(".meeting-item__meta").inner_text().endswith("in person and online")
        kinds.add(hybrid)
        expect(item.locator(".meeting-item__where")).to_have_count(1 if hybrid else 0)
        assert item.locator(".meeting-item__when").inner_text().endswith(" km") is False
    assert kinds == {True, False}
    expect(page.get_by_test_id("order-next")).to_have_count(0)  # online is always soonest first
    page.get_by_test_id("filters").locator("summary").click()
    page.get_by_label("Language").select_option("sv")
    expect(results.first).to_contain_text("(demo)")
    # Soonest first, so whether a hybrid or an online-only meeting leads depends on the hour.
    results.filter(has_not=page.locator(".meeting-item__where")).first.locator("a").click()
    join = page.get_by_test_id("join-link")
    expect(join).to_have_attribute("href", re.compile(r"^https://meet\.example\.org/"))
    expect(join).to_have_attribute("rel", "noopener noreferrer")
    assert page.get_by_test_id("geo-link").count() == 0


def test_meeting_screens_are_accessible_narrow_and_dark(demo_page: Callable[..., Page]) -> None:
    page = demo_page(locale="en-GB", color_scheme="dark", width=360, geolocation=STOCKHOLM)
    open_signed_in(page, locale="en")
    assert axe_violations(page) == []
    page.goto("/#/meetings")
    page.get_by_test_id("near-me").click()
    expect(page.get_by_test_id("meeting-results").locator(".meeting-item").first).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= 360")
    page.get_by_test_id("meeting-results").locator("a").first.click()
    expect(page.get_by_test_id("meeting-detail")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= 360")


def test_a_relative_finds_family_groups_from_their_home(demo_page: Callable[..., Page]) -> None:
    page = demo_page(locale="nb-NO", geolocation=STOCKHOLM)
    open_signed_in(page, role="relative", locale="nb")
    page.goto(page.url.split("#")[0] + "#/family")
    page.get_by_role("link", name="Finn pårørendegrupper nær deg").click()
    expect(page.get_by_label("Fellesskap")).to_have_value("family")
    expect(page.get_by_test_id("filters").locator("summary")).to_contain_text("Filtrer · 1")
    page.get_by_test_id("near-me").click()
    results = page.get_by_test_id("meeting-results").locator(".meeting-item")
    expect(results.first).to_be_visible()
    fellowships = {
        meta.split(" · ")[0] for meta in results.locator(".meeting-item__meta").all_inner_texts()
    }
    assert fellowships == {"Al-Anon", "Nar-Anon"}  # both family groups, and nothing else
    distances = [
        float(re.search(r"([\d,]+) km$", t).group(1).replace(",", "."))  # type: ignore[union-attr]
        for t in results.locator(".meeting-item__when").all_inner_texts()
    ]
    assert distances == sorted(distances)  # the two answers merged, nearest first


def test_a_one_tap_dial_in_keeps_its_pauses_and_pin(
    demo_page: Callable[..., Page], demo_server: LiveServer, tmp_path: Path
) -> None:
    # The specification's one-tap form: the number, pauses (","), then the meeting's id and "#".
    dial_in = {
        "slug": "dial-in",
        "name": "Telefonmötet (test)",
        "day": 2,
        "time": "20:00",
        "timezone": "Europe/Stockholm",
        "formatted_address": "Stockholm, Sweden",
        "conference_phone": "+46 8 5050 0828,,123456789#",
    }
    add_meetings(demo_server, tmp_path, "test-dial-in", [dial_in])
    page = demo_page(locale="sv-SE")
    open_signed_in(page, locale="sv")
    page.goto(f"/#/meeting/{meeting_id('test-dial-in', 'dial-in')}")
    call = page.get_by_role("link", name=re.compile("^Ring in"))
    # Without the pauses the phone dials the id straight after the number and never gets in.
    expect(call).to_have_attribute("href", "tel:+46850500828,,123456789%23")


def test_a_favourite_removed_once_the_server_is_back_does_not_come_back(
    demo_page: Callable[..., Page], demo_server: LiveServer
) -> None:
    """Saved as a favourite while the server was busy (it waits in the outbox), then removed
    once the server answers again: sending the outbox later must not make it a favourite again."""
    page = demo_page(locale="en-GB")
    account = open_signed_in(page, locale="en")
    listed = page.request.get("/api/meetings/online?limit=1")
    assert listed.ok, listed.text()
    the_id = listed.json()["meetings"][0]["id"]
    page.goto(f"/#/meeting/{the_id}")
    favourite = page.get_by_test_id("favourite")
    expect(favourite).to_have_attribute("aria-pressed", "false")

    page.context.route(
        "**/api/me/favourites/**",
        lambda route: route.fulfill(status=503, json={"status_code": 503, "detail": "Busy"}),
    )
    favourite.click()
    expect(favourite).to_have_attribute("aria-pressed", "true")
    page.context.unroute("**/api/me/favourites/**")
    favourite.click()
    expect(favourite).to_have_attribute("aria-pressed", "false")

    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => import('/store.js').then((store) => store.pending()).then((p) => p.length === 0)"
    )
    saved = page.request.get(
        "/api/me/favourites", headers={"Authorization": f"Bearer {account['token']}"}
    )
    assert saved.ok and saved.json()["meetings"] == []
