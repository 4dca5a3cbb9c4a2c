"""Bad input is a 4xx JSON answer that names the problem; never a 500, never a stack trace."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import Person

GOOD = {"role": "self", "locale": "sv", "timezone": "Europe/Stockholm"}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "malformed"),
        (b"", ""),
        (b"[]", ""),
        (b'"self"', ""),
        (b'{"role": "self"}', "locale"),
        (b'{"role": "admin", "locale": "sv", "timezone": "Europe/Oslo"}', "role"),
        (b'{"role": "self", "locale": 5, "timezone": "Europe/Oslo"}', "locale"),
        (
            b'{"role": "self", "locale": "sv", "timezone": "Europe/Oslo", "email": "a@b.se"}',
            "email",
        ),
        (b'{"role": "self", "locale": "sv", "timezone": ""}', "timezone"),
        (
            b'{"role": "self", "locale": "sv", "timezone": "Europe/Oslo", "referral_code": "<x>"}',
            "referral_code",
        ),
    ],
)
def test_bad_signup_bodies_are_400_with_a_reason(
    http: httpx.Client, body: bytes, fragment: str
) -> None:
    answer = http.post("/api/accounts", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400, answer.text
    payload = answer.json()
    assert payload["status_code"] == 400
    assert payload["detail"]
    assert fragment.lower() in answer.text.lower()
    assert "Traceback" not in answer.text


def test_oversized_body_is_refused(http: httpx.Client) -> None:
    body = {**GOOD, "referral_code": "x" * 200_000}
    answer = http.post("/api/accounts", json=body)
    assert answer.status_code == 413
    assert answer.json()["detail"]


def test_unknown_api_path_is_json_404(http: httpx.Client) -> None:
    answer = http.get("/api/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["status_code"] == 404


def test_wrong_method_is_405(person: Person) -> None:
    assert person.put("/api/me", json={}).status_code == 405


def test_health_and_openapi(http: httpx.Client) -> None:
    assert http.get("/api/health").json()["status"] == "ok"
    schema = http.get("/schema/openapi.json").json()
    assert "/api/accounts" in schema["paths"]
    operation_ids = [
        op.get("operationId") for ops in schema["paths"].values() for op in ops.values()
    ]
    assert all(operation_ids), "every operation has an operationId"
    # No interactive UI that would pull scripts from a CDN.
    for ui in ("/schema", "/schema/swagger", "/schema/redoc", "/schema/elements"):
        assert "cdn" not in http.get(ui).text.lower()
