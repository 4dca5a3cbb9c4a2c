"""The app as an installable PWA: manifest, icons, service worker, and its offline file list."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Guard, deliver_push

PWA = Path(__file__).resolve().parents[2] / "pwa"
# Files that are in pwa/ but are not part of the app a phone downloads.
NOT_SHELL = {"sw.js", "index.html"}
NOT_SHELL_SUFFIXES = {".md", ".py"}


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_manifest_and_icons() -> None:
    manifest = json.loads((PWA / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Fotfeste"
    assert manifest["id"] == manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    icons = {(i["sizes"], i.get("purpose", "any")): i for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(icons)
    for (sizes, _), icon in icons.items():
        width, height = (int(n) for n in sizes.split("x"))
        assert png_size(PWA / icon["src"].lstrip("/")) == (width, height)


def test_every_app_file_is_precached() -> None:
    """Adding a view or card means adding it to APP_SHELL in sw.js, or offline start breaks."""
    source = (PWA / "sw.js").read_text(encoding="utf-8")
    block = re.search(r"const APP_SHELL = \[(.*?)\];", source, re.S)
    assert block, "APP_SHELL not found in sw.js"
    listed = set(re.findall(r"'([^']+)'", block.group(1)))
    on_disk = {
        "/" + str(path.relative_to(PWA))
        for path in PWA.rglob("*")
        if path.is_file()
        and path.name not in NOT_SHELL
        and path.suffix not in NOT_SHELL_SUFFIXES
        and not path.name.startswith("LICENSE")
    }
    assert on_disk - listed == set(), "files missing from APP_SHELL"
    assert listed - on_disk - {"/"} == set(), "APP_SHELL names files that do not exist"
    # The server sets it to the content hash when it serves sw.js (tests/api/test_pwa_files.py).
    assert re.search(r"const VERSION = '[^']+';", source)


def test_installable(browser: Browser, app_url: str, tmp_path: Path) -> None:
    """Chrome's own installability check. It needs a real (non-incognito) profile, so this test
    starts a persistent context of its own instead of using `new_page`."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=app_url
    )
    guard = Guard(app_url)
    context.on("request", lambda request: guard.requests.append(request.url))
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == f"{app_url}/manifest.webmanifest"
        assert not manifest.get("errors")
        for icon in page.request.get("/manifest.webmanifest").json()["icons"]:
            answer = page.request.get(icon["src"])
            assert answer.status == 200
            assert answer.headers["content-type"] == "image/png"
    finally:
        context.close()
    assert guard.foreign() == []


def test_service_worker_serves_the_shell_and_never_caches_writes(page: Page) -> None:
    page.goto("/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    names = page.evaluate("caches.keys()")
    shell = [n for n in names if n.startswith("fotfeste-shell-")]
    # Named by the content version the server put into sw.js.
    version = re.search(r"const VERSION = '([0-9a-f]{16})';", page.request.get("/sw.js").text())
    assert version
    assert shell == [f"fotfeste-shell-{version.group(1)}"]
    cached = page.evaluate(
        f"caches.open({shell[0]!r}).then(c => c.keys()).then(k => k.map(r => r.url))"
    )
    assert any(url.endswith(f"/v/{version.group(1)}/app.js") for url in cached)
    assert not [url for url in cached if "/api/" in url]


def test_push_shows_a_notification(page: Page, app_url: str) -> None:
    """Every push becomes a notification (browsers drop silent subscribers), from its JSON."""
    page.goto("/")
    payload = {
        "title": "Fotfeste",
        "body": "Time for today's check-in",
        "url": "/#/home",
        "tag": "t1",
    }
    notes = deliver_push(page, app_url, payload)
    assert notes == [["Fotfeste", "Time for today's check-in", "t1", {"url": "/#/home"}]]
