"""The CSP and the security headers on every route of the OpenAPI document and every PWA file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from fotfeste.web.headers import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from tests.api.conftest import Person
from tests.api.openapi_walk import operations
from tests.conftest import LiveServer


def _check(answer: httpx.Response, what: str) -> None:
    assert answer.status_code < 500, f"{what}: {answer.status_code} {answer.text[:200]}"
    for name, value in SECURITY_HEADERS:
        assert answer.headers.get(name) == value, f"{what}: {name} is {answer.headers.get(name)}"
    csp = answer.headers["content-security-policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    if answer.request.url.path.startswith("/api/"):
        assert answer.headers["cache-control"] == "no-store", what


def test_every_api_route_anonymous_and_signed_in(http: httpx.Client, person: Person) -> None:
    ops = operations(http)
    assert len(ops) >= 8
    for op in ops:
        if op.operation_id == "deleteAccount":
            continue  # would end the signed-in person; covered anonymously below
        path = op.fill()
        body = {} if op.method in {"POST", "PUT", "PATCH"} else None
        _check(http.request(op.method, path, json=body), f"anonymous {op.method} {op.path}")
        _check(person.client.request(op.method, path, json=body), f"{op.method} {op.path}")
    _check(http.delete("/api/me"), "anonymous DELETE /api/me")


def _pwa_files(live_server: LiveServer) -> list[str]:
    root = live_server.settings.pwa_dir
    return sorted(
        "/" + p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith((".py", ".md")) and "LICENSE" not in p.name
    )


def test_every_pwa_file(http: httpx.Client, live_server: LiveServer) -> None:
    files = _pwa_files(live_server)
    assert "/sw.js" in files and "/index.html" in files
    for path in [*files, "/"]:
        answer = http.get(path)
        assert answer.status_code == 200, path
        _check(answer, path)
        assert answer.headers["cache-control"] == "no-cache", path  # the shell always revalidates


@pytest.mark.parametrize(
    ("method", "path", "headers", "body"),
    [
        ("GET", "/api/does-not-exist", {}, None),  # 404 outside any route
        ("TRACE", "/api/health", {}, None),  # 405
        ("POST", "/api/accounts", {"content-type": "application/json"}, b"{broken"),  # 400
        ("POST", "/api/accounts", {"content-type": "application/json"}, b"x" * 200_000),  # 413
        ("GET", "/api/me", {"authorization": "Bearer nope"}, None),  # 401
        ("GET", "/../../etc/passwd", {}, None),
        ("GET", "/schema/openapi.json", {}, None),
    ],
)
def test_error_answers_carry_the_headers_too(
    http: httpx.Client, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> None:
    _check(http.request(method, path, headers=headers, content=body), f"{method} {path}")


def test_pwa_dir_is_the_repository_pwa(live_server: LiveServer) -> None:
    assert (live_server.settings.pwa_dir / "sw.js").exists()
    assert Path(live_server.settings.pwa_dir).name == "pwa"
