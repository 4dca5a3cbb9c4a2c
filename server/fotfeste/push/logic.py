"""Pure rules of Web Push: which endpoints may be contacted, valid keys, what a status means."""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import Enum
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from fotfeste.errors import InvalidInput

# RFC 8291: a 4096-byte record minus the 86-byte header, the 16-byte tag and the padding delimiter.
MAX_PAYLOAD_BYTES = 3993
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=1)
_TOPIC_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def b64url_decode(text: str) -> bytes:
    """Base64url with or without padding; anything else raises ValueError."""
    if not text or any(c not in _TOPIC_CHARS and c != "=" for c in text):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_entry(entry: str) -> tuple[str, str]:
    """'host', 'host:port', '[v6]:port' or a bare IPv6 address -> (host, port or '')."""
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, rest.lstrip(":")
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return host, port
    return entry, ""


def _entry_matches(entry: str, host: str, port: int) -> bool:
    """`host`, `host:port` or `*.domain` (any subdomain, not the domain itself)."""
    entry_host, entry_port = _split_entry(entry.strip().lower())
    if entry_port and entry_port != str(port):
        return False
    if entry_host.startswith("*."):
        suffix = entry_host[1:]
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == entry_host


def check_endpoint(endpoint: str, allowed_hosts: tuple[str, ...]) -> str:
    """The endpoint if the sender may post to it, else InvalidInput: the URL comes from a client."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise InvalidInput("The endpoint is not a valid URL", field="endpoint") from None
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in {"https", "http"} or not host or parts.username or parts.password:
        raise InvalidInput("The endpoint must be an https:// URL", field="endpoint")
    port = port or (443 if parts.scheme == "https" else 80)
    if not any(_entry_matches(entry, host, port) for entry in allowed_hosts):
        raise InvalidInput(
            "This push service is not allowed on this server (see FOTFESTE_PUSH_HOSTS)",
            field="endpoint",
        )
    # Plain http only to a loopback host that the deployer listed: tests and local development.
    if parts.scheme == "http" and not _is_loopback(host):
        raise InvalidInput("The endpoint must be an https:// URL", field="endpoint")
    return endpoint


def allowed_origin(endpoint: str, allowed_hosts: tuple[str, ...]) -> str:
    """`check_endpoint` at send time, then `origin_of`: cached per scheme://host:port, since a
    fan-out posts thousands of messages to the same few push services (parsing each URL cost
    more than a fifth of the sender's time per message). Everything check_endpoint looks at
    (scheme, host, port, user info) is in the part before the path, so the verdict is the same."""
    return _allowed_origin("/".join(endpoint.split("/", 3)[:3]), allowed_hosts)


@functools.lru_cache(maxsize=256)
def _allowed_origin(prefix: str, allowed_hosts: tuple[str, ...]) -> str:
    check_endpoint(prefix, allowed_hosts)  # raises, and exceptions are not cached
    return origin_of(prefix)


def origin_of(endpoint: str) -> str:
    """scheme://host[:port] as the VAPID `aud` claim wants it (port only when not the default)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if parts.scheme == "https" else 80
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{host}{port}"


def service_name(endpoint: str) -> str:
    """What logs may say about a push service: its host name, never the path (a capability) and
    never an address (logs hold no IP addresses)."""
    host = (urlsplit(endpoint).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host or "(no host)"
    return "(an IP address)"


def check_keys(p256dh: str, auth: str) -> None:
    """p256dh must be an uncompressed point on P-256 and auth exactly 16 bytes."""
    try:
        point = b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise InvalidInput(
            "keys.p256dh must be a P-256 public key (65 bytes, base64url)", field="keys.p256dh"
        ) from None
    try:
        secret = b64url_decode(auth)
    except ValueError:
        secret = b""
    if len(secret) != 16:
        raise InvalidInput("keys.auth must be 16 bytes, base64url", field="keys.auth")


def check_payload(payload: bytes) -> bytes:
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"push payload is {len(payload)} bytes; at most {MAX_PAYLOAD_BYTES}")
    return payload


def check_topic(topic: str | None) -> str | None:
    """RFC 8030: at most 32 characters of the base64url alphabet."""
    if topic is not None and (len(topic) > 32 or not set(topic) <= _TOPIC_CHARS):
        raise ValueError(f"invalid push topic {topic!r}")
    return topic


class Outcome(Enum):
    DONE = "done"
    GONE = "gone"  # the subscription is dead: delete it
    TOO_LARGE = "too_large"
    RETRY = "retry"
    REJECTED = "rejected"  # other 4xx (and redirects, never followed): log and drop


def classify(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.DONE
    if status in (404, 410):
        return Outcome.GONE
    if status == 413:
        return Outcome.TOO_LARGE
    if status == 429 or status >= 500:
        return Outcome.RETRY
    return Outcome.REJECTED


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(timedelta(0), when - now)


@dataclass(frozen=True)
class Retry:
    at: datetime | None  # None: give up


def next_retry(
    attempts: int,
    now: datetime,
    created_at: datetime,
    ttl_seconds: int,
    retry_after: timedelta | None,
    *,
    jitter: float | None = None,
) -> Retry:
    """Exponential backoff (30 s, 1 min, 2 min, … capped at an hour) with jitter; Retry-After wins
    when later. Bounded: give up after MAX_ATTEMPTS or once the message's TTL has passed."""
    if attempts >= MAX_ATTEMPTS:
        return Retry(None)
    spread = random.uniform(0.8, 1.2) if jitter is None else jitter  # noqa: S311 - not crypto
    delay = min(MAX_BACKOFF, timedelta(seconds=30 * 2 ** max(0, attempts - 1)) * spread)
    if retry_after is not None:
        delay = max(delay, min(retry_after, timedelta(hours=24)))
    at = now + delay
    if at > created_at + timedelta(seconds=ttl_seconds):
        return Retry(None)
    return Retry(at)
