"""The client address behind the reverse proxy: X-Forwarded-For from trusted proxies, IPs only.

In place of uvicorn's proxy-header middleware, which takes whatever string the header holds
("unknown", "evil.example", "[2001:db8::1") as the client's address; every such string was a
fresh rate limit of its own. Here the client is the last address in the header that is not a
trusted proxy, and only when it is an IP literal; otherwise the header is ignored and the
request counts as coming from the proxy itself, so a made-up string never buys a new limit.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_ip(text: str) -> tuple[IPAddress, int] | None:
    """An IP literal as proxies write it (1.2.3.4, 1.2.3.4:80, 2001:db8::1, [2001:db8::1]:80)
    with its port (0 when none), or None for anything that is not one."""
    text = text.strip()
    host, port = text, "0"
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] or "0"
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not port.isdigit() or int(port) > 65535:
        return None
    try:
        return ipaddress.ip_address(host), int(port)
    except ValueError:
        return None


class TrustedProxies:
    """Addresses and networks (comma-separated, as `--forwarded-allow-ips`) whose headers count."""

    def __init__(self, spec: str) -> None:
        parts = [part.strip() for part in spec.split(",") if part.strip()]
        self.anyone = "*" in parts
        networks = []
        for part in parts:
            if part == "*":
                continue
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(
                    f"trusted proxy {part!r} is not an IP address or network (e.g. 10.0.0.0/8)"
                ) from None
        self.networks = tuple(networks)

    @functools.lru_cache(maxsize=1024)  # noqa: B019 - one instance per process, few peers
    def trusts(self, host: str) -> bool:
        if self.anyone:
            return True
        parsed = parse_ip(host)
        return parsed is not None and any(parsed[0] in net for net in self.networks)


class ForwardedFor:
    """ASGI wrapper: sets `scope["client"]` (and the scheme) from a trusted proxy's headers."""

    def __init__(self, app: Any, trusted: str = "127.0.0.1") -> None:
        self.app = app
        self.trusted = TrustedProxies(trusted)

    def __getattr__(self, name: str) -> Any:
        # The wrapped app's attributes (state, routes) stay reachable, as tests reach them.
        if name == "app":
            raise AttributeError(name)
        return getattr(self.app, name)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            peer = scope.get("client")
            if peer and self.trusted.trusts(peer[0]):
                self._rewrite(scope)
        await self.app(scope, receive, send)

    def _rewrite(self, scope: Any) -> None:
        forwarded: list[str] = []
        for name, value in scope["headers"]:
            if name == b"x-forwarded-for":
                forwarded += value.decode("latin-1").split(",")
            elif name == b"x-forwarded-proto":
                proto = value.decode("latin-1").strip()
                if proto in ("http", "https"):
                    websocket = scope["type"] == "websocket"
                    scope["scheme"] = proto.replace("http", "ws") if websocket else proto
        entries = [entry.strip() for entry in forwarded if entry.strip()]
        # Each proxy appends the address it saw: the client is the last one no proxy of ours wrote.
        for entry in reversed(entries):
            parsed = parse_ip(entry)
            if parsed is None:
                return  # not an address: the header is ignored, the proxy is the client
            if not self.trusted.trusts(str(parsed[0])):
                scope["client"] = (str(parsed[0]), parsed[1])
                return
        if entries:  # every hop was a trusted proxy: the first one is the client
            first = parse_ip(entries[0])
            if first is not None:
                scope["client"] = (str(first[0]), first[1])
