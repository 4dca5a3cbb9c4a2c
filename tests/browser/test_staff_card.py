"""The staff portal in Chromium: first login, a code, and the discharge card printed to PDF."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import Page

from tests.browser.conftest import NewPage, axe_violations
from tests.conftest import LiveServer
from tests.staff_portal import NEW_PASSWORD, StaffUser, add_staff

MM = 72 / 25.4  # PDF points per millimetre


def _first_login(page: Page, base: str, user: StaffUser) -> None:
    """A new staff member's path: one-time password, then a password of their own."""
    page.goto(f"{base}/staff/login?lang=sv")
    page.get_by_label("E-post i tjänsten").fill(user.email)
    page.get_by_label("Lösenord").fill(user.password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/staff/password")
    page.get_by_label("Nuvarande lösenord").fill(user.password)
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nytt lösenord igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_url("**/staff/codes")


def _create_code(page: Page, card_locale: str) -> str:
    page.get_by_label("Program").select_option("clinic-16")
    page.get_by_label("Kortets språk").select_option(card_locale)
    page.get_by_label("Telefon").fill("+45 33 12 34 56")
    page.get_by_label("Öppettider").fill("Man–fre 9–15")
    page.get_by_label("Adress").fill("Nørregade 7, København")
    page.get_by_role("button", name="Skapa kod").click()
    page.wait_for_url("**/staff/codes/*")
    return page.url.rsplit("/", 1)[-1]


def _qr_texts(pdf: bytes) -> tuple[list[str], str, tuple[float, float]]:
    """The QR codes found on the first page at 300 dpi, the page's text, and its size in points."""
    document = pypdfium2.PdfDocument(pdf)
    first = document[0]
    size = first.get_size()
    text = first.get_textpage().get_text_range()
    image = first.render(scale=300 / 72).to_numpy()
    found = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    return found, text, size


def test_card_prints_to_pdf_with_a_qr_code_that_opens_the_join_screen(
    new_page: NewPage, live_server: LiveServer, tmp_path: Path
) -> None:
    user = add_staff(live_server.settings)
    page = new_page(locale="sv-SE")
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    _first_login(page, live_server.url, user)
    code = _create_code(page, "da")

    for size, (width_mm, height_mm) in (("A6", (105, 148)), ("A4", (210, 297))):
        page.goto(f"{live_server.url}/staff/codes/{code}")
        with page.expect_navigation():
            page.get_by_role("link", name=f"Kort, {size}").click()
        assert page.locator("html").get_attribute("lang") == "da"  # the card's own language
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (tmp_path / f"card-{size}.pdf").write_bytes(pdf)
        found, text, (width, height) = _qr_texts(pdf)
        assert found == [f"{live_server.settings.public_url}/#/join/{code}"]
        assert width == pytest.approx(width_mm * MM, abs=2)
        assert height == pytest.approx(height_mm * MM, abs=2)
        assert code in text and "+45 33 12 34 56" in text and user.clinic in text
        assert "Din kode" in text and "Kort, A6" not in text  # the screen-only tools do not print
        # One page: the card fits its paper.
        assert len(pypdfium2.PdfDocument(pdf)) == 1
    assert violations == []


def test_portal_pages_pass_axe(new_page: NewPage, live_server: LiveServer) -> None:
    """Accessibility of the portal pages, on a 360 px wide screen and in dark mode."""
    user = add_staff(live_server.settings)
    page = new_page(locale="nb-NO", width=360, color_scheme="dark")
    _first_login(page, live_server.url, user)
    code = _create_code(page, "nb")
    for path in (
        "/staff/codes",
        f"/staff/codes/{code}",
        f"/staff/codes/{code}/card",
        "/staff/outcomes",
        "/staff/audit",
        "/staff/password",
    ):
        page.goto(f"{live_server.url}{path}")
        problems = axe_violations(page, ("minor", "moderate", "serious", "critical"))
        assert problems == [], f"{path}: {problems}"
