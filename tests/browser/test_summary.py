"""The summary for a talk at the clinic, in Norwegian: chosen period, weekly table, scores, the
plan if wanted; printed to PDF in Chromium; and the FHIR file for the clinic's records."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage, axe_violations

PHQ9 = {"1": 1, "2": 2, "3": 0, "4": 3, "5": 0, "6": 1, "7": 0, "8": 0, "9": 0}  # 7 of 27


def _sign_in_norwegian(page: Page) -> str:
    answer = page.request.post(
        "/api/accounts", data={"role": "self", "locale": "nb", "timezone": "Europe/Oslo"}
    )
    assert answer.status == 201, answer.text()
    token: str = answer.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def send(method: str, path: str, data: object) -> None:
        reply = page.request.fetch(path, method=method, data=data, headers=headers)
        assert reply.ok, reply.text()

    # The server's clock stands at Monday 16 March 2026.
    send("PUT", "/api/sobriety", {"start_date": "2026-02-23"})
    send("PUT", "/api/checkins/2026-03-02", {"used": False, "craving": 6, "mood": 2})
    send("PUT", "/api/checkins/2026-03-05", {"used": True, "craving": 8, "mood": 1})
    send("PUT", "/api/checkins/2026-03-12", {"used": False, "craving": 2, "mood": 4})
    send("POST", "/api/me/attendance", {"date": "2026-03-10"})
    send("POST", "/api/me/attendance", {"date": "2026-03-12"})
    send("POST", "/api/responses", {"instrument": "phq9", "answers": PHQ9})
    entry = "0b5a4c3e-8f1d-4b7a-9c2e-1f3d5a7b9c0d"
    send("PUT", f"/api/plan/entries/{entry}", {"section": "warning_signs", "text": "Sover dårlig"})
    page.goto("/#/welcome")
    page.wait_for_selector("main h1")
    page.evaluate("token => import('/store.js').then((store) => store.set('token', token))", token)
    page.goto("/#/home")
    page.reload()  # a hash change alone would not restart the app
    page.wait_for_selector(".screen--home")
    page.goto("/#/scales")
    return token


def test_summary_prints_to_a_norwegian_pdf_with_the_scores(
    new_page: NewPage, tmp_path: Path
) -> None:
    page = new_page(locale="nb-NO", timezone_id="Europe/Oslo", width=360)
    _sign_in_norwegian(page)
    page.get_by_role("link", name="Lag en oppsummering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oppsummering til samtalen min")

    page.get_by_label("Siden jeg startet").check()
    page.get_by_label("Ta med varselsignalene mine og hva jeg gjør da, fra planen min").check()
    summary = page.locator("article.summary")
    expect(summary).to_contain_text("Til sammen: rusfrie dager 20, dager med bruk 1, møter 2.")
    rows = summary.locator(".data-table").first.locator("tbody tr")
    expect(rows).to_have_count(4)  # the weeks from Monday 23 February to the week of 16 March
    expect(rows.nth(1).locator("td")).to_have_text(["6", "1", "7", "1,5", "0"])
    expect(rows.nth(2).locator("td")).to_have_text(["7", "0", "2", "4", "2"])
    # Today has no check-in yet: it is not counted until it has one.
    expect(rows.nth(3).locator("td")).to_have_text(["0", "0", "–", "–", "0"])
    expect(summary.locator(".summary__scores")).to_contain_text("7/27")
    expect(summary).to_contain_text("Sover dårlig")
    assert axe_violations(page) == []

    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (tmp_path / "summary-nb.pdf").write_bytes(pdf)
    document = pypdfium2.PdfDocument(pdf)
    pages = (document[i].get_textpage().get_text_range() for i in range(len(document)))
    text = " ".join(" ".join(pages).split())  # lines wrapped by the page are joined again
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    for wanted in (
        "Rusfrie dager og dager med bruk",
        "PHQ-9",
        "7/27",
        "Sover dårlig",
        "Selvrapportert, ikke en diagnose",
    ):
        assert wanted in text, wanted
    # Only the summary is printed: not the buttons, the period form or the FHIR download.
    for unwanted in ("Skriv ut eller lagre som PDF", "Siden jeg startet", "FHIR"):
        assert unwanted not in text, unwanted


def test_fhir_file_downloads_from_the_summary(new_page: NewPage) -> None:
    page = new_page(locale="nb-NO", timezone_id="Europe/Oslo")
    _sign_in_norwegian(page)
    page.goto("/#/summary")
    page.get_by_label("Ta også med dagene med bruk de siste 30 dagene").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned FHIR-filen").click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 1
    assert kinds.count("Observation") == 2  # the count over 30 days, and the one day with use


def test_summary_works_offline_with_the_last_data(new_page: NewPage) -> None:
    page = new_page(locale="nb-NO", timezone_id="Europe/Oslo")
    _sign_in_norwegian(page)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto("/#/summary")  # read once online, through the worker, as a person would
    summary = page.locator("article.summary")
    expect(summary.locator(".summary__scores")).to_contain_text("7/27")

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oppsummering til samtalen min")
    expect(summary.locator(".summary__scores")).to_contain_text("7/27")
    expect(summary).to_contain_text("dager med bruk 1")
    expect(summary).to_contain_text("Du er ikke på nett: dette er oppsummeringen slik den ble")
    page.context.set_offline(False)
