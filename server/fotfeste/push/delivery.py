"""Posting encrypted messages to push services: allowlist, VAPID header cache, headers."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import aiohttp
from yarl import URL

from fotfeste.clock import Clock
from fotfeste.errors import InvalidInput
from fotfeste.push.keys import VapidKey
from fotfeste.push.logic import allowed_origin, check_topic, service_name
from fotfeste.push.outbox import Message, Result

log = logging.getLogger(__name__)

# Reuse one signed VAPID header per push-service origin for under an hour: signing per message
# would cost as much as the encryption, and the JWT itself is valid for 12 hours.
AUTH_CACHE_FOR = timedelta(minutes=50)

# Per request, as a client would set it: connecting may take 5 s, the whole exchange 10 s.
TIMEOUT = aiohttp.ClientTimeout(total=10.0, connect=5.0)
# A push service answers with an empty or tiny body; anything longer is not read (the connection
# is dropped instead of reused), so a misbehaving service cannot fill memory.
MAX_ANSWER_BYTES = 64 * 1024
_SKIP_HEADERS = frozenset({"Accept", "Accept-Encoding", "User-Agent"})


def make_session(concurrency: int) -> aiohttp.ClientSession:
    """The one shared session: keep-alive connections, at most `concurrency` per push service
    (the sender's semaphore queues the rest); no cookies (a push service's cookie would ride
    along on every other subscription's messages), no proxy or .netrc from the environment,
    bodies left as sent (no decompression). Redirects are refused per request: a redirect
    could point anywhere.

    aiohttp's client directly: httpx's own transport (httpcore, h11, anyio) cost about 1 ms of
    CPU per POST, six times the encryption, and httpx's types on aiohttp's connections still
    added about a third to every message.
    """
    connector = aiohttp.TCPConnector(
        limit=0,  # bounded per host below: one slow service must not hold up the others
        limit_per_host=max(1, concurrency),
        ttl_dns_cache=300,
    )
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=TIMEOUT,
        trust_env=False,
        auto_decompress=False,
        skip_auto_headers=_SKIP_HEADERS,
        headers={"User-Agent": "fotfeste-push"},
    )


async def post(
    session: aiohttp.ClientSession, url: URL, body: bytes, headers: dict[str, str]
) -> tuple[int, str | None]:
    """POST through the shared session: (status, Retry-After). The answer is read (bounded) and
    its connection released for the next message."""
    async with session.post(url, data=body, headers=headers, allow_redirects=False) as response:
        length = response.content_length
        if length is not None and length <= MAX_ANSWER_BYTES:
            await response.read()
        else:
            response.close()  # unknown or large: drop the connection rather than read on
        return response.status, response.headers.get("Retry-After")


class Delivery:
    def __init__(
        self,
        key: VapidKey,
        subject: str,
        allowed_hosts: tuple[str, ...],
        clock: Clock,
        session: aiohttp.ClientSession,
    ) -> None:
        self.key = key
        self.subject = subject
        self.allowed_hosts = allowed_hosts
        self.clock = clock
        self.session = session
        self._auth: dict[str, tuple[datetime, str]] = {}

    def authorization(self, origin: str, now: datetime | None = None) -> str:
        now = now or self.clock.now()
        cached = self._auth.get(origin)
        # A cached header is reused only while young; a clock that moved backwards also renews.
        if cached is not None and timedelta(0) <= now - cached[0] < AUTH_CACHE_FOR:
            return cached[1]
        header = self.key.authorization(origin, self.subject, now)
        self._auth[origin] = (now, header)
        return header

    def forget(self, origin: str) -> None:
        self._auth.pop(origin, None)

    @staticmethod
    def remaining_ttl(message: Message, now: datetime) -> int:
        """What is left of the message's lifetime: a late retry must not outlive the original."""
        age = (now - message.created_at).total_seconds()
        return int(message.ttl - max(0.0, age))

    def headers(self, message: Message, origin: str, now: datetime, ttl: int) -> dict[str, str]:
        """A new dict for every message: TTL, Urgency and Topic belong to this message alone."""
        headers = {
            "authorization": self.authorization(origin, now),
            "content-encoding": "aes128gcm",
            "content-type": "application/octet-stream",
            "ttl": str(ttl),
            "urgency": message.urgency,
        }
        topic = check_topic(message.topic)
        if topic:
            headers["topic"] = topic
        return headers

    async def post(self, message: Message, body: bytes) -> Result:
        """Always a Result, whatever happens: one message's failure must not stop a fan-out."""
        try:
            # Checked again at send time: the allowlist may have shrunk since it was saved, and
            # a row stored before registration refused bad endpoints is caught here.
            origin = allowed_origin(message.endpoint, self.allowed_hosts)
            # Parsed as endpoint_url did when it was registered (yarl caches the parse).
            url = URL(message.endpoint, encoded=True)
        except InvalidInput:
            log.warning("push endpoint at %s is no longer allowed", service_name(message.endpoint))
            return Result(message, None, error="not allowed")
        now = self.clock.now()  # once per message: the TTL and the signed header's age
        ttl = self.remaining_ttl(message, now)
        if ttl <= 0:
            # Queued while the server was down for longer than it matters (a stale reminder).
            return Result(message, None, error="expired")
        try:
            headers = self.headers(message, origin, now, ttl)  # a bad topic raises ValueError
            status, retry_after = await post(self.session, url, body, headers)
        except (aiohttp.InvalidURL, ValueError) as exc:
            # The request could not even be made for this endpoint: trying again won't help.
            log.warning("push to %s could not be sent: %s", service_name(message.endpoint),
                        type(exc).__name__)  # fmt: skip
            return Result(message, None, error="not allowed")
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            return Result(message, None, error=type(exc).__name__)
        except Exception as exc:
            # Unexpected: settled for a bounded retry like a network error, and logged once.
            # No traceback: exception texts may quote the endpoint, which logs must never hold.
            log.error("push to %s failed: %s", service_name(message.endpoint), type(exc).__name__)
            return Result(message, None, error=type(exc).__name__)
        if status in (401, 403):
            # Perhaps our JWT is no longer accepted: sign a new one next time.
            self.forget(origin)
        return Result(message, status, retry_after)
