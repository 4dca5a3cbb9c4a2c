"""Posting encrypted messages to push services: allowlist, VAPID header cache, headers."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import httpx

from fotfeste.clock import Clock
from fotfeste.errors import InvalidInput
from fotfeste.push.keys import VapidKey
from fotfeste.push.logic import check_endpoint, check_topic, origin_of, service_name
from fotfeste.push.outbox import Message, Result

log = logging.getLogger(__name__)

# Reuse one signed VAPID header per push-service origin for under an hour: signing per message
# would cost as much as the encryption, and the JWT itself is valid for 12 hours.
AUTH_CACHE_FOR = timedelta(minutes=50)


def make_client(concurrency: int) -> httpx.AsyncClient:
    """The one shared client: keep-alive connections, never follows redirects (a redirect could
    point anywhere), ignores proxy and .netrc settings from the environment.

    As many connections as requests in flight: requests queued inside httpcore's pool cost time
    that grows with the queue (measured in bench/push.py), so the sender's semaphore queues them.
    """
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=5.0),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        headers={"user-agent": "fotfeste-push"},
    )


class Delivery:
    def __init__(
        self,
        key: VapidKey,
        subject: str,
        allowed_hosts: tuple[str, ...],
        clock: Clock,
        client: httpx.AsyncClient,
    ) -> None:
        self.key = key
        self.subject = subject
        self.allowed_hosts = allowed_hosts
        self.clock = clock
        self.client = client
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

    def headers(self, message: Message) -> dict[str, str]:
        """A new dict for every message: TTL, Urgency and Topic belong to this message alone."""
        headers = {
            "authorization": self.authorization(origin_of(message.endpoint)),
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
            check_endpoint(message.endpoint, self.allowed_hosts)
        except InvalidInput:
            log.warning("push endpoint at %s is no longer allowed", service_name(message.endpoint))
            return Result(message, None, error="not allowed")
        if self.remaining_ttl(message) <= 0:
            # Queued while the server was down for longer than it matters (a stale reminder).
            return Result(message, None, error="expired")
        try:
            response = await self.client.post(
                message.endpoint, content=body, headers=self.headers(message)
            )
        except httpx.HTTPError as exc:
            return Result(message, None, error=type(exc).__name__)
        if response.status_code in (401, 403):
            # Perhaps our JWT is no longer accepted: sign a new one next time.
            self.forget(origin_of(message.endpoint))
        return Result(message, response.status_code, response.headers.get("retry-after"))
