"""X-Forwarded-For as the proxy layer reads it: trusted hops skipped, only IP literals taken."""

from __future__ import annotations

from typing import Any

import pytest

from fotfeste.web.proxy import ForwardedFor, TrustedProxies, parse_ip
from fotfeste.web.throttle import client_key


def _client_of(forwarded: list[str], peer: str = "127.0.0.1", trusted: str = "127.0.0.1") -> Any:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["client"] = scope["client"]

    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    scope = {"type": "http", "client": (peer, 5000), "headers": headers}
    wrapped = ForwardedFor(app, trusted)
    coroutine = wrapped(scope, None, None)
    with pytest.raises(StopIteration):
        coroutine.send(None)
    return seen["client"]


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        (["203.0.113.5"], ("203.0.113.5", 0)),
        (["203.0.113.5:4711"], ("203.0.113.5", 4711)),
        (["[2001:db8::1]:443"], ("2001:db8::1", 443)),
        (["2001:db8::1"], ("2001:db8::1", 0)),
        # The client's own header comes first; the proxy appends what it saw: the last one counts.
        (["198.51.100.1, 203.0.113.5"], ("203.0.113.5", 0)),
        (["198.51.100.1", "203.0.113.5"], ("203.0.113.5", 0)),
        # A trusted hop is skipped.
        (["203.0.113.5, 10.0.0.2"], ("203.0.113.5", 0)),
        # Not an address where the client should be: ignored, the proxy stays the client.
        (["evil.example"], ("127.0.0.1", 5000)),
        (["203.0.113.5, unknown"], ("127.0.0.1", 5000)),
        (["[2001:db8::1"], ("127.0.0.1", 5000)),
        (["203.0.113.5:99999"], ("127.0.0.1", 5000)),
        ([""], ("127.0.0.1", 5000)),
    ],
)
def test_the_client_behind_trusted_proxies(forwarded: list[str], client: Any) -> None:
    assert _client_of(forwarded, trusted="127.0.0.1, 10.0.0.0/8") == client


def test_an_untrusted_peer_keeps_its_own_address() -> None:
    assert _client_of(["203.0.113.5"], peer="192.0.2.1") == ("192.0.2.1", 5000)


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ValueError, match="not an IP address"):
        TrustedProxies("proxy.internal")
    assert parse_ip("1.2.3.4:80") is not None and parse_ip("1.2.3.4:x") is None


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("198.51.100.7", "198.51.100.7"),
        ("fe80::1%eth0", "fe80::/64"),
        ("testclient", "not-an-ip"),
    ],
)
def test_limits_count_an_ipv6_client_by_its_64(host: str, key: str) -> None:
    assert client_key(host) == key
