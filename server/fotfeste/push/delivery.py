"""Posting encrypted messages to push services: allowlist, VAPID header cache, headers."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from fotfeste.clock import Clock
from fotfeste.errors import InvalidInput
from fotfeste.push.keys import VapidKey
from fotfeste.push.logic import allowed_origin, check_topic, service_name
from fotfeste.push.outbox import Message, Result

log = logging.getLogger(__name__)

# Reuse one signed VAPID header per push-service origin for under an hour: signing per message
# would cost as much as the encryption, and the JWT itself is valid for 12 hours.
AUTH_CACHE_FOR = timedelta(minutes=50)


# Per request, as a client would set it: connecting may take 5 s, anything else 10 s.
TIMEOUT = httpx.Timeout(10.0, connect=5.0).as_dict()


def make_transport(concurrency: int) -> httpx.AsyncBaseTransport:
    """The one shared transport: keep-alive connections, as many as requests in flight (the
    sender's semaphore queues the rest), no proxy or .netrc settings from the environment.

    httpx's request and response types on aiohttp's connections (httpx-aiohttp, by an httpx
    maintainer). httpx's own transport (httpcore, h11, anyio) cost about 1 ms of CPU per POST
    here, six times the encryption, so the sender could not keep up with its encryption pool.
    Requests go to the transport without an AsyncClient around it: the client would add a cookie
    jar (a push service's cookie would ride along on every other subscription's messages) and
    redirect, auth and URL-merging steps this sender switches off anyway, together about 40 % of
    the cost per message (bench/push.py went from 0.25× to 0.42× of the encryption ceiling).
    Redirects are never followed: a redirect could point anywhere.
    """
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return AiohttpTransport(limits=limits, trust_env=False)


async def post(
    transport: httpx.AsyncBaseTransport, url: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST through the shared transport; the response is read and its connection released."""
    request = httpx.Request(
        "POST",
        url,
        content=body,
        headers={"user-agent": "fotfeste-push", **headers},
        extensions={"timeout": TIMEOUT},
    )
    response = await transport.handle_async_request(request)
    try:
        await response.aread()
    finally:
        await response.aclose()
    return response


class Delivery:
    def __init__(
        self,
        key: VapidKey,
        subject: str,
        allowed_hosts: tuple[str, ...],
        clock: Clock,
        transport: httpx.AsyncBaseTransport,
    ) -> None:
        self.key = key
        self.subject = subject
        self.allowed_hosts = allowed_hosts
        self.clock = clock
        self.transport = transport
        self._auth: dict[str, tuple[datetime, str]] = {}

    def authorization(self, origin: str) -> str:
        now = self.clock.now()
        cached = self._auth.get(origin)
        # A cached header is reused only while young; a clock that moved backwards also renews.
        if cached is not None and timedelta(0) <= now - cached[0] < AUTH_CACHE_FOR:
            return cached[1]
        header = self.key.authorization(origin, self.subject, now)
        self._auth[origin] = (now, header)
        return header

    def forget(self, origin: str) -> None:
        self._auth.pop(origin, None)

    def remaining_ttl(self, message: Message) -> int:
        """What is left of the message's lifetime: a late retry must not outlive the original."""
        age = (self.clock.now() - message.created_at).total_seconds()
        return int(message.ttl - max(0.0, age))

    def headers(self, message: Message, origin: str) -> dict[str, str]:
        """A new dict for every message: TTL, Urgency and Topic belong to this message alone."""
        headers = {
            "authorization": self.authorization(origin),
            "content-encoding": "aes128gcm",
            "content-type": "application/octet-stream",
            "ttl": str(max(0, self.remaining_ttl(message))),
            "urgency": message.urgency,
        }
        topic = check_topic(message.topic)
        if topic:
            headers["topic"] = topic
        return headers

    async def post(self, message: Message, body: bytes) -> Result:
        try:
            # Checked again at send time: the allowlist may have shrunk since it was saved.
            origin = allowed_origin(message.endpoint, self.allowed_hosts)
        except InvalidInput:
            log.warning("push endpoint at %s is no longer allowed", service_name(message.endpoint))
            return Result(message, None, error="not allowed")
        if self.remaining_ttl(message) <= 0:
            # Queued while the server was down for longer than it matters (a stale reminder).
            return Result(message, None, error="expired")
        try:
            response = await post(
                self.transport, message.endpoint, body, self.headers(message, origin)
            )
        except (httpx.HTTPError, aiohttp.ClientError, TimeoutError) as exc:
            # The transport maps most aiohttp errors to httpx's, not all of them.
            return Result(message, None, error=type(exc).__name__)
        if response.status_code in (401, 403):
            # Perhaps our JWT is no longer accepted: sign a new one next time.
            self.forget(origin)
        return Result(message, response.status_code, response.headers.get("retry-after"))
