"""Issue 22, findings 5, 10 and 13: rate limits per IPv6 /64, only IP literals from the proxy,
argon2 work in bounded pools, and the same KDF work for a recovery code that matches nothing.

Client addresses are presented as the reverse proxy does: `X-Forwarded-For` from 127.0.0.1,
the one proxy the test server trusts (as `fotfeste serve` does by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from fotfeste.accounts import store as accounts_store
from fotfeste.settings import RateLimit
from fotfeste.staff import sessions
from tests.api.conftest import Person
from tests.conftest import LiveServer
from tests.staff_portal import StaffClient, add_staff

NO_SUCH_CODE = "ZZZZ-ZZZZ-0000-0000-0000-0000"


def _recover(client: httpx.Client, code: str, address: str) -> httpx.Response:
    return client.post(
        "/api/accounts/recover",
        json={"recovery_code": code},
        headers={"X-Forwarded-For": address},
    )


# --- finding 5: one IPv6 /64 is one client ---------------------------------------------------
def test_recovery_guesses_from_one_ipv6_64_share_one_limit(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_recover=RateLimit(10, 900))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        # 40 guesses, each from another address of the same /64, as anyone with a home router can.
        codes = [
            _recover(client, NO_SUCH_CODE, f"2001:db8:1:2::{n + 1:x}").status_code
            for n in range(40)
        ]
        neighbour = _recover(client, NO_SUCH_CODE, "2001:db8:1:3::1")
    assert codes[:10] == [401] * 10
    assert set(codes[10:]) == {429}
    assert neighbour.status_code == 401  # the next /64 is someone else


def test_account_creation_from_one_ipv6_64_shares_one_limit(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_account_create=RateLimit(3, 3600))
    body = {"role": "self", "locale": "en", "timezone": "Europe/Stockholm"}
    with httpx.Client(base_url=server.url, timeout=30) as client:
        codes = [
            client.post(
                "/api/accounts",
                json=body,
                headers={"X-Forwarded-For": f"2001:db8:aa:bb:{n:x}:1:2:3"},
            ).status_code
            for n in range(6)
        ]
    assert codes == [201] * 3 + [429] * 3


def test_an_ipv4_address_written_as_ipv6_is_the_same_client(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_public=RateLimit(2, 3600))
    with httpx.Client(base_url=server.url, timeout=10) as client:
        codes = [
            client.get("/api/health", headers={"X-Forwarded-For": address}).status_code
            for address in ("198.51.100.7", "::ffff:198.51.100.7", "198.51.100.7")
        ]
        other = client.get("/api/health", headers={"X-Forwarded-For": "198.51.100.8"})
    assert codes == [200, 200, 429]
    assert other.status_code == 200  # IPv4 stays per address


# --- finding 13: only IP literals from the trusted proxy -------------------------------------
@pytest.mark.parametrize(
    "forwarded",
    ["not-an-ip-{n}", "evil.example-{n}", "10.0.0.{n}x", "unknown{n}", "[2001:db8::{n}"],
)
def test_a_forwarded_for_that_is_no_address_gets_no_limit_of_its_own(
    server_factory: Callable[..., LiveServer], forwarded: str
) -> None:
    server = server_factory(rate_recover=RateLimit(10, 900))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        codes = [
            _recover(client, NO_SUCH_CODE, forwarded.format(n=n)).status_code for n in range(20)
        ]
        real = _recover(client, NO_SUCH_CODE, "192.0.2.10")
    # Each string was a fresh client before: 20 guesses, all 401. Now they count as the proxy.
    assert codes[:10] == [401] * 10
    assert set(codes[10:]) == {429}
    assert real.status_code == 401  # a real client behind the proxy keeps its own limit


def test_forwarded_addresses_with_a_port_still_count_by_address(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(rate_recover=RateLimit(2, 900))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        codes = [
            _recover(client, NO_SUCH_CODE, address).status_code
            for address in ("192.0.2.20:4000", "192.0.2.20:4001", "192.0.2.20")
        ]
    assert codes == [401, 401, 429]


# --- finding 10: the same KDF work whether the lookup part matches or not ---------------------
class _CountingHasher:
    """A real argon2 PasswordHasher that counts its verifications (each still does the work)."""

    def __init__(self, real: Any, counts: dict[str, int], name: str) -> None:
        self._real, self._counts, self._name = real, counts, name

    def verify(self, hashed: str, secret: str) -> Any:
        self._counts[self._name] += 1
        return self._real.verify(hashed, secret)

    def hash(self, secret: str) -> str:
        return str(self._real.hash(secret))


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the real argon2 verify ran, per kind of secret."""
    counts = {"recovery": 0, "staff": 0}
    for name, kdf in (("recovery", accounts_store._hasher), ("staff", sessions._hasher)):
        monkeypatch.setattr(kdf, "_hasher", _CountingHasher(kdf._hasher, counts, name))
    return counts


def _other_secret(code: str) -> str:
    """The same lookup part (first 8 characters) with a different secret part."""
    compact = code.replace("-", "")
    secret = "".join("1" if c != "1" else "2" for c in compact[8:])
    return compact[:8] + secret


def test_a_recovery_code_that_matches_no_account_costs_one_verify_too(
    live_server: LiveServer, person: Person, verifications: dict[str, int]
) -> None:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        wrong_secret = _recover(client, _other_secret(person.recovery_code), "192.0.2.30")
        after_wrong_secret = verifications["recovery"]
        no_account = _recover(client, NO_SUCH_CODE, "192.0.2.30")
        after_no_account = verifications["recovery"]
    assert wrong_secret.status_code == no_account.status_code == 401
    assert wrong_secret.json()["detail"] == no_account.json()["detail"]
    assert after_wrong_secret == 1
    assert after_no_account - after_wrong_secret == 1


def test_a_staff_login_for_an_unknown_address_costs_one_verify_too(
    live_server: LiveServer, verifications: dict[str, int]
) -> None:
    user = add_staff(live_server.settings)
    client = StaffClient(live_server.url)
    try:
        assert client.login(user.email, "not the password").status_code == 401
        after_real = verifications["staff"]
        assert client.login(f"nobody-{user.email}", "not the password").status_code == 401
        after_unknown = verifications["staff"]
    finally:
        client.close()
    assert after_real == 1
    assert after_unknown - after_real == 1
