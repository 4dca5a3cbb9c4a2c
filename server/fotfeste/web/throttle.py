"""Per-client rate limits for endpoints that anyone can call (account creation, recovery)."""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import math
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler

from fotfeste.settings import RateLimit, Settings
from fotfeste.web.shared_limits import SHARED
from fotfeste.web.state import shared

_MAX_CLIENTS = 100_000


class Throttle:
    """Sliding-window counters kept in memory, keyed by a salted hash of the client address.

    The address itself is never stored or logged; the salt is new at every start. Counted per
    process: with N processes a client gets up to N times the limit. That is kept for "public",
    a flood guard on every anonymous request where a write each would cost more than it guards;
    the limits that guard secrets are counted in the database (`count`, shared_limits.py).
    """

    def __init__(
        self, limits: dict[str, RateLimit], monotonic: Callable[[], float] = time.monotonic
    ):
        self.limits = limits
        self._monotonic = monotonic
        self._salt = secrets.token_bytes(16)
        self._hits: OrderedDict[tuple[str, bytes], deque[float]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings) -> Throttle:
        return cls(
            {
                "account_create": settings.rate_account_create,
                "recover": settings.rate_recover,
                "public": settings.rate_public,
                "clinic_link": settings.rate_clinic_link,
                "clinic_link_account": settings.rate_clinic_link_account,
            }
        )

    def hit(self, bucket: str, client: str) -> float | None:
        """Count one request; return seconds to wait when over the limit, else None."""
        limit = self.limits[bucket]
        key = (bucket, hashlib.blake2b(client.encode(), key=self._salt, digest_size=16).digest())
        now = self._monotonic()
        window = self._hits.get(key)
        if window is None:
            window = self._hits[key] = deque()
            if len(self._hits) > _MAX_CLIENTS:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(key)
        while window and window[0] <= now - limit.seconds:
            window.popleft()
        if len(window) >= limit.requests:
            return window[0] + limit.seconds - now
        window.append(now)
        return None


@functools.lru_cache(maxsize=4096)
def client_key(host: str) -> str:
    """Who a limit counts: an IPv4 address, or an IPv6 client's /64.

    One IPv6 subscriber gets a whole /64 (often more), so counting each address would give one
    person 2^64 fresh limits. An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4
    address. Anything that is no IP literal (a Unix socket, or a proxy header the proxy layer let
    through) counts as one client, so it can never be a fresh limit per string.
    """
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])  # without an IPv6 zone
    except ValueError:
        return "not-an-ip"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def check(connection: ASGIConnection, bucket: str, key: str | None = None) -> None:  # type: ignore[type-arg]
    """Count one request in `bucket`, of this client or of `key` (e.g. an account); 429 with
    Retry-After when over the limit."""
    throttle = shared(connection).throttle
    if key is None:
        key = client_key(connection.client.host) if connection.client else "unknown"
    wait = throttle.hit(bucket, key)
    if wait is not None:
        raise TooManyRequestsException(
            "Too many attempts. Please wait a while and try again.",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )


async def count(connection: ASGIConnection, bucket: str, key: str | None = None) -> None:  # type: ignore[type-arg]
    """`check`, but a bucket that guards secrets is counted in the database, across processes
    (web/shared_limits.py); 429 with Retry-After when over the limit."""
    if bucket not in SHARED:
        check(connection, bucket, key)
        return
    limits = shared(connection).shared_limits
    if key is None:
        key = client_key(connection.client.host) if connection.client else "unknown"
    wait = await limits.hit(bucket, key)
    if wait is not None:
        raise TooManyRequestsException(
            "Too many attempts. Please wait a while and try again.",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )


def throttled(bucket: str) -> Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]:  # type: ignore[type-arg]
    """A guard that answers 429 with Retry-After once a client is over the bucket's limit."""

    # Guards are coroutines: Litestar runs a plain function guard in a worker thread, a hop
    # that cost a seventh of a check-in's time when every request passed through one.
    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
        await count(connection, bucket)

    return guard


async def public(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """Guard of every route anyone may call: each request counts in the per-address "public"
    limit (accounts/auth.py: a route declares either this or `requires_account`)."""
    check(connection, "public")
