"""Take the README's screenshots: home and meetings on a 360×740 phone (2× pixels), in Swedish.

    .venv/bin/python -m docs.screenshots.take   (or: .venv/bin/python docs/screenshots/take.py)

Starts `fotfeste serve` with the demo data, makes an account with twelve drug-free days, and
photographs home (milestones already celebrated) and the meeting finder's results for Malmö.
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from bench.server_process import ServerProcess  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as data:
        server = ServerProcess(Path(data) / "server", env={"FOTFESTE_DEMO": "1"}).start(120)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                context = browser.new_context(
                    viewport={"width": 360, "height": 740},
                    device_scale_factor=2,
                    locale="sv-SE",
                    timezone_id="Europe/Stockholm",
                    base_url=server.url,
                )
                page = context.new_page()
                account = page.request.post(
                    "/api/accounts",
                    data={"role": "self", "locale": "sv", "timezone": "Europe/Stockholm"},
                ).json()
                auth = {"Authorization": f"Bearer {account['token']}"}
                start = date.today() - timedelta(days=12)
                page.request.put("/api/sobriety", data={"start_date": str(start)}, headers=auth)
                page.goto("/#/welcome")
                page.wait_for_selector("main h1")
                page.evaluate(
                    "t => import('/store.js').then((s) => s.set('token', t))", account["token"]
                )
                page.goto("/#/home")
                page.reload()
                page.wait_for_selector(".streak")
                while page.get_by_test_id("celebration").count():
                    page.get_by_test_id("celebration").get_by_role("button").click()
                    page.wait_for_timeout(300)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=HERE / "home.png")
                page.goto("/#/meetings")
                page.get_by_label("Eller skriv en ort").fill("malmö")
                page.get_by_role("button", name=re.compile("^Malmö")).first.click()
                results = page.get_by_test_id("meeting-results").locator(".meeting-item")
                results.first.wait_for()
                page.wait_for_load_state("networkidle")
                # The results' heading at the top of the screen, the "found 7" notice gone.
                page.get_by_role("heading", level=2, name=re.compile("Malmö")).first.evaluate(
                    "(h) => { h.scrollIntoView({block: 'start'}); window.scrollBy(0, -16); }"
                )
                page.wait_for_function(
                    "() => !document.querySelector('.status').textContent", timeout=15_000
                )
                page.screenshot(path=HERE / "meetings.png")
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
