"""The PWA's files over HTTP: only the app, compressed, versioned by content; HEAD like GET."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import brotli
import httpx
import pytest

from fotfeste.web.static import shell_paths
from tests.api.conftest import Person
from tests.api.openapi_walk import operations
from tests.conftest import LiveServer

PWA = Path(__file__).resolve().parents[2] / "pwa"
YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


def version_of(client: httpx.Client) -> str:
    match = re.search(r"const VERSION = '([0-9a-f]{16})';", client.get("/sw.js").text)
    assert match, "sw.js is served without a content version"
    return match.group(1)


def test_only_the_app_is_served(http: httpx.Client) -> None:
    for private in ("/README.md", "/icons/make_icons.py", "/vendor/README.md", "/pwa/sw.js"):
        assert http.get(private).status_code == 404, private
        assert http.head(private).status_code == 404, private
    version = version_of(http)
    assert http.get(f"/v/{version}/README.md").status_code == 404
    assert http.get(f"/v/{version}/../README.md").status_code == 404
    # Everything the service worker precaches is there, so the app starts offline.
    for path in shell_paths((PWA / "sw.js").read_text(encoding="utf-8")):
        assert http.get(path).status_code == 200, path
        if path != "/":
            assert http.get(f"/v/{version}{path}").status_code == 200, path


def test_versioned_files_are_cached_for_a_year_the_shell_revalidates(http: httpx.Client) -> None:
    version = version_of(http)
    page = http.get("/")
    assert page.headers["cache-control"] == "no-cache"
    assert http.get("/sw.js").headers["cache-control"] == "no-cache"
    linked = re.findall(r'(?:src|href)="(/v/[^"]+)"', page.text)
    assert f"/v/{version}/app.js" in linked and f"/v/{version}/styles.css" in linked
    for url in linked:
        answer = http.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["cache-control"] == YEAR_IMMUTABLE, url
    # Unversioned, or under another version: the current file, but never kept for long.
    assert http.get("/app.js").headers["cache-control"] == "no-cache"
    stale = http.get("/v/0123456789abcdef/app.js")
    assert stale.headers["cache-control"] == "no-cache"
    assert stale.content == http.get("/app.js").content


@pytest.mark.parametrize(
    ("accept", "coding"),
    [("br, gzip", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_compressed_as_the_client_accepts(
    http: httpx.Client, accept: str, coding: str | None
) -> None:
    plain = (PWA / "i18n" / "sv.json").read_bytes()
    # A raw request, so that httpx neither adds Accept-Encoding nor decodes the answer.
    request = http.build_request("GET", "/i18n/sv.json", headers={"accept-encoding": accept})
    answer = http.send(request, stream=True)
    body = b"".join(answer.iter_raw())
    answer.close()
    assert answer.headers.get("content-encoding") == coding
    assert "accept-encoding" in answer.headers["vary"].lower()
    assert int(answer.headers["content-length"]) == len(body)
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding](body)
    assert decoded == plain
    if coding:
        assert len(body) < len(plain) / 2
    # PNGs are compressed already: sent as they are.
    png = http.get("/icons/icon-192.png", headers={"accept-encoding": "br"})
    assert "content-encoding" not in png.headers


def test_etag_answers_304(http: httpx.Client) -> None:
    first = http.get("/app.js", headers={"accept-encoding": "br"})
    again = http.get(
        "/app.js", headers={"accept-encoding": "br", "if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    other = http.get("/app.js", headers={"accept-encoding": "gzip"})
    assert other.headers["etag"] != first.headers["etag"]  # one tag per encoding


def test_head_answers_every_get_like_get(http: httpx.Client, person: Person) -> None:
    paths = ["/", "/sw.js", "/app.js", "/manifest.webmanifest", "/icons/icon-192.png"]
    paths += ["/staff/login", "/schema/openapi.json", "/api/health", "/nope"]
    ops = [op for op in operations(http) if op.method == "GET"]
    assert len(ops) > 10
    checked = 0
    for client in (http, person.client):
        for path in [*paths, *(op.fill() for op in ops)]:
            get = client.get(path)
            head = client.head(path)
            assert head.status_code == get.status_code, f"HEAD {path}"
            assert head.content == b"", f"HEAD {path}"
            for name in ("content-type", "cache-control", "content-security-policy"):
                assert head.headers.get(name) == get.headers.get(name), f"HEAD {path}: {name}"
            if get.status_code == 200 and "content-length" in get.headers:
                assert head.headers["content-length"] == get.headers["content-length"], path
            checked += 1
    assert checked > 20


@pytest.mark.slow
def test_version_changes_with_any_shell_file(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    """An edited view can never be served to an installed phone under the old version."""
    copy = tmp_path / "pwa"
    shutil.copytree(PWA, copy)
    server = server_factory(pwa_dir=copy)
    shell = [p for p in shell_paths((copy / "sw.js").read_text(encoding="utf-8")) if p != "/"]
    with httpx.Client(base_url=server.url, timeout=10) as client:
        seen = {version_of(client)}
        for path in [*shell, "/sw.js", "/index.html"]:
            file = copy / path.lstrip("/")
            file.write_bytes(file.read_bytes() + b"\n")
            version = version_of(client)
            assert version not in seen, f"{path} changed but the version did not"
            seen.add(version)
        home = copy / "views" / "home.js"
        home.write_text(home.read_text(encoding="utf-8") + "// edited\n", encoding="utf-8")
        version = version_of(client)
        assert f"/v/{version}/app.js" in client.get("/").text
        served = client.get(f"/v/{version}/views/home.js")
        assert served.text.endswith("// edited\n")
        assert served.headers["cache-control"] == YEAR_IMMUTABLE


def test_a_broken_shell_list_keeps_the_last_good_files(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    copy = tmp_path / "pwa"
    shutil.copytree(PWA, copy)
    server = server_factory(pwa_dir=copy)
    with httpx.Client(base_url=server.url, timeout=10) as client:
        version = version_of(client)
        sw = copy / "sw.js"
        sw.write_text(sw.read_text(encoding="utf-8").replace("'/app.js',", "'/gone.js',"))
        assert version_of(client) == version  # mid-edit: still the last good table
        assert client.get("/app.js").status_code == 200
