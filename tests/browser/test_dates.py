"""The PWA's calendar-date rules, each once in pwa/dates.js: today in a zone near midnight and
across clock changes, days later across month and year ends, weekdays from Sunday."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import NewPage

# (instant, zone, that zone's date)
DATES_IN = [
    ("2026-03-16T22:59:00Z", "Europe/Stockholm", "2026-03-16"),
    ("2026-03-16T23:00:00Z", "Europe/Stockholm", "2026-03-17"),
    ("2026-06-16T21:59:00Z", "Europe/Stockholm", "2026-06-16"),
    ("2026-06-16T22:00:00Z", "Europe/Stockholm", "2026-06-17"),
    ("2026-10-25T22:59:00Z", "Europe/Stockholm", "2026-10-25"),  # the 25-hour day
    ("2026-10-25T23:00:00Z", "Europe/Stockholm", "2026-10-26"),
    ("2026-03-29T00:59:00Z", "Europe/Stockholm", "2026-03-29"),  # the night of the jump
    ("2026-03-17T03:59:00Z", "America/New_York", "2026-03-16"),
    ("2026-03-17T04:00:00Z", "America/New_York", "2026-03-17"),
    ("2026-11-01T05:30:00Z", "America/New_York", "2026-11-01"),
    ("2026-03-16T10:00:00Z", "Pacific/Kiritimati", "2026-03-17"),
    ("2026-03-16T10:00:00Z", "Pacific/Pago_Pago", "2026-03-15"),
]


def evaluate(page: Page, script: str, arg: object = None) -> object:
    page.goto("/#/welcome")
    page.wait_for_selector("main h1")
    return page.evaluate(f"(arg) => import('/dates.js').then((dates) => ({script}))", arg)


def test_the_date_in_a_zone_near_midnight(page: Page) -> None:
    found = evaluate(page, "arg.map(([at, zone]) => dates.dateIn(zone, new Date(at)))", DATES_IN)
    assert found == [expected for _, _, expected in DATES_IN]


def test_a_missing_or_unknown_zone_is_the_phones_own(new_page: NewPage) -> None:
    page = new_page(timezone_id="America/New_York")
    found = evaluate(
        page,
        """[undefined, null, '', 'Mars/Olympus'].map((zone) =>
          dates.dateIn(zone, new Date('2026-03-17T03:30:00Z')))
          .concat([dates.todayIn('Europe/Stockholm') === dates.dateIn('Europe/Stockholm')])""",
    )
    assert found == ["2026-03-16"] * 4 + [True]


def test_days_later_and_weekdays(page: Page) -> None:
    found = evaluate(
        page,
        """[
          dates.addDays('2026-12-31', 1), dates.addDays('2024-03-01', -1),
          dates.addDays('2026-03-28', 2), dates.addDays('2026-01-01', -730),
          ['2026-03-22', '2026-03-16', '2026-03-21', '2026-12-31', '2027-01-03']
            .map(dates.weekdayOf),
        ]""",
    )
    assert found == [
        "2027-01-01",
        "2024-02-29",
        "2026-03-30",
        "2024-01-02",
        [0, 1, 6, 4, 0],
    ]
