"""Phone figures of the PWA against a real `fotfeste serve`: first-load bytes and Lighthouse.

    .venv/bin/python -m bench.lighthouse

Prints the bytes a phone downloads on its first visit (compressed, headers included, as Chromium
counts them), what the service worker then precaches, and for home, meetings, follow-up and help
Lighthouse's mobile scores (performance, accessibility, best practices) with LCP, CLS and TBT.
Lighthouse is npm's `lighthouse`, installed on first use into ~/.cache/fotfeste (see
`lighthouse_command`); it drives /usr/bin/chromium through a profile that holds an account, so
the signed-in screens are measured, not the welcome screen. The figures are not asserted
anywhere: the machines are noisy. tests/browser/test_lighthouse.py asserts accessibility and
best practices (both 100), which do not depend on the machine's speed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.server_process import ServerProcess, free_port

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE_VERSION = "12.2.3"  # 13 wants Node 22; Debian 12 has Node 20
LIGHTHOUSE_DIR = Path.home() / ".cache" / "fotfeste" / f"lighthouse-{LIGHTHOUSE_VERSION}"
INSTALL_TIMEOUT_S = 300
SCREENS = {"home": "#/home", "meetings": "#/meetings", "follow-up": "#/scales", "help": "#/help"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def lighthouse_command(install: bool = True) -> list[str] | None:
    """The lighthouse CLI, installed into the cache folder first if missing (bounded in time)."""
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists() and install and shutil.which("npm"):
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--save-exact",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            cwd=LIGHTHOUSE_DIR,
            timeout=INSTALL_TIMEOUT_S,
            check=False,
            capture_output=True,
        )
    if binary.exists() and shutil.which("node"):
        return [str(binary)]
    return None


@contextmanager
def signed_in_chromium(app_url: str, browser_type: Any = None, locale: str = "en") -> Iterator[int]:
    """A Chromium with a remote-debugging port whose profile holds a new account's token.

    `browser_type` is Playwright's chromium when the caller already runs Playwright (the
    browser tests do); without it, Playwright is started here.
    """
    token = httpx.post(
        f"{app_url}/api/accounts",
        json={"role": "self", "locale": locale, "timezone": "Europe/Stockholm"},
        timeout=10,
    ).json()["token"]
    port = free_port()
    with tempfile.TemporaryDirectory() as profile, ExitStack() as stack:
        if browser_type is None:
            from playwright.sync_api import sync_playwright

            browser_type = stack.enter_context(sync_playwright()).chromium
        context = browser_type.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, f"--remote-debugging-port={port}"],
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{app_url}/#/welcome")
            page.wait_for_selector("main h1")
            page.evaluate("t => import('/store.js').then((s) => s.set('token', t))", token)
            yield port
        finally:
            context.close()


def run_lighthouse(
    command: list[str], url: str, port: int, categories: tuple[str, ...]
) -> dict[str, Any]:
    """One Lighthouse run (mobile, its defaults) on `url` in the Chromium at `port`: the report."""
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        subprocess.run(
            [
                *command,
                url,
                f"--port={port}",
                "--disable-storage-reset",  # keep the account in the profile
                f"--only-categories={','.join(categories)}",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                "--max-wait-for-load=45000",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=240,
            check=True,
            capture_output=True,
        )
        result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        return result


def scores(report: dict[str, Any]) -> dict[str, float | None]:
    return {name: category["score"] for name, category in report["categories"].items()}


def failed_audits(report: dict[str, Any], category: str) -> list[str]:
    """The audits that cost a category points: id, title and a few of the offending items."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])[:3]
            lines.append(f"{ref['id']}: {audit['title']} {json.dumps(items)[:400]}")
    return lines


def first_load_bytes(app_url: str, width: int = 360, height: int = 740) -> dict[str, int]:
    """Bytes on the wire (compressed, with headers) for a first visit and a signed-in cold start.

    `welcome`: a new visitor opens the app. `home`: someone with an account opens it with an
    empty HTTP cache and no service worker. Only the page's own requests count; the service
    worker's precache afterwards is `precache` (each shell file fetched once, brotli).
    """
    from playwright.sync_api import sync_playwright

    figures: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # A Swedish phone: the account's language is the browser's, as after onboarding.
            context = browser.new_context(
                viewport={"width": width, "height": height}, base_url=app_url, locale="sv-SE"
            )
            page = context.new_page()
            figures["welcome"] = measure_first_load(page, "/")
            token = page.request.post(
                "/api/accounts", data={"role": "self", "locale": "sv", "timezone": "UTC"}
            ).json()["token"]
            page.evaluate("t => import('/store.js').then((s) => s.set('token', t))", token)
            page.evaluate(
                "navigator.serviceWorker.getRegistrations()"
                ".then((rs) => Promise.all(rs.map((r) => r.unregister())))"
                ".then(() => caches.keys())"
                ".then((ks) => Promise.all(ks.map((k) => caches.delete(k))))"
            )
            cdp = context.new_cdp_session(page)
            cdp.send("Network.clearBrowserCache")
            figures["home"] = measure_first_load(page, "/#/home", ".screen--home .start-date")
            context.close()
        finally:
            browser.close()
    figures["precache"] = precache_bytes(app_url)
    return figures


def measure_first_load(page: Any, path: str, ready: str = "main h1") -> int:
    """Bytes Chromium received for the page's own requests while opening `path`, until idle."""
    cdp = page.context.new_cdp_session(page)
    received: dict[str, int] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda event: received.__setitem__(event["requestId"], int(event["encodedDataLength"])),
    )
    page.goto("about:blank")  # so that a hash route loads the page again
    cdp.send("Network.enable")
    page.goto(path)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return sum(received.values())


def precache_bytes(app_url: str) -> int:
    """What the service worker downloads once after the first visit, brotli-compressed."""
    sw = httpx.get(f"{app_url}/sw.js", timeout=10).text
    from fotfeste.web.static import shell_paths

    version = sw.split("const VERSION = '", 1)[1].split("'", 1)[0]
    total = 0
    with httpx.Client(base_url=app_url, timeout=10, headers={"accept-encoding": "br"}) as client:
        for path in shell_paths(sw):
            url = path if path in ("/", "/manifest.webmanifest") else f"/v/{version}{path}"
            answer = client.get(url)
            total += int(answer.headers["content-length"])
    return total


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        server = ServerProcess(Path(data) / "server").start(timeout=120)
        try:
            started = time.perf_counter()
            figures = first_load_bytes(server.url)
            print("first load at 360x740 (bytes on the wire, compressed, headers included):")
            for name, value in figures.items():
                print(f"  {name:10} {value:>8,} B  ({value / 1024:.1f} KiB)")
            command = lighthouse_command()
            if command is None:
                print("lighthouse: not available (npm/node missing or the install failed)")
                return
            categories = ("performance", "accessibility", "best-practices")
            print("lighthouse (mobile, simulated throttling):")
            print(f"  {'screen':10} perf  a11y  bp    LCP ms   CLS    TBT ms")
            with signed_in_chromium(server.url) as port:
                for name, route in SCREENS.items():
                    report = run_lighthouse(command, f"{server.url}/{route}", port, categories)
                    got = scores(report)
                    audits = report["audits"]
                    print(
                        f"  {name:10} {_pct(got['performance'])}  {_pct(got['accessibility'])}"
                        f"  {_pct(got['best-practices'])}"
                        f"  {audits['largest-contentful-paint']['numericValue']:7.0f}"
                        f"  {audits['cumulative-layout-shift']['numericValue']:.3f}"
                        f"  {audits['total-blocking-time']['numericValue']:6.0f}"
                    )
                    for category in ("accessibility", "best-practices"):
                        for line in failed_audits(report, category):
                            print(f"    {category}: {line}")
            print(f"({time.perf_counter() - started:.0f} s)")
        finally:
            server.stop()


def _pct(score: float | None) -> str:
    return " n/a" if score is None else f"{score * 100:4.0f}"


if __name__ == "__main__":
    main()
