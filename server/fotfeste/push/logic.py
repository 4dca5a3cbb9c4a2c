"""Pure rules of Web Push: which endpoints may be contacted, valid keys, what a status means."""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import Enum
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from yarl import URL

from fotfeste.errors import InvalidInput

# RFC 8291: a 4096-byte record minus the 86-byte header, the 16-byte tag and the padding delimiter.
MAX_PAYLOAD_BYTES = 3993
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=1)
MIN_RETRY_AFTER = timedelta(seconds=1)
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
    """`host` (port 443 only), `host:port`, `host:*` (any port: local test services) or
    `*.domain` (any subdomain, not the domain itself)."""
    entry_host, entry_port = _split_entry(entry.strip().lower())
    if entry_port != "*" and int(entry_port or 443) != port:
        return False
    if entry_host.startswith("*."):
        suffix = entry_host[1:]
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == entry_host


# What may appear in an endpoint: printable ASCII without spaces. Browsers give nothing else, and
# yarl (what aiohttp sends with) silently strips surrounding whitespace and control characters,
# so a check on the parsed URL alone would pass `…/x\r\n` and store it.
_ENDPOINT_CHARS = re.compile(r"[\x21-\x7e]+")
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _is_dns_name(host: str) -> bool:
    labels = host.split(".")
    return len(host) <= 253 and all(_DNS_LABEL.match(label) for label in labels)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def endpoint_url(endpoint: str) -> URL:
    """The endpoint parsed as the sender will send it (yarl, aiohttp's URL type, taking the
    string as given so the push service's path is posted byte for byte); InvalidInput when it
    is not a well-formed absolute URL of printable ASCII on a DNS name or IP address."""
    if not _ENDPOINT_CHARS.fullmatch(endpoint):
        raise InvalidInput(
            "The endpoint must not contain spaces or control characters", field="endpoint"
        )
    try:
        url = URL(endpoint, encoded=True)
        url.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise InvalidInput("The endpoint is not a valid URL", field="endpoint") from None
    host = (url.raw_host or "").lower()
    if url.raw_fragment or not host or not (_is_ip(host) or _is_dns_name(host.removesuffix("."))):
        raise InvalidInput("The endpoint is not a valid URL", field="endpoint")
    return url


def check_endpoint(endpoint: str, allowed_hosts: tuple[str, ...]) -> str:
    """The endpoint if the sender may post to it, else InvalidInput: the URL comes from a client."""
    url = endpoint_url(endpoint)
    host = (url.raw_host or "").lower().removesuffix(".")
    if url.scheme not in {"https", "http"} or url.raw_user is not None or url.raw_password:
        raise InvalidInput("The endpoint must be an https:// URL", field="endpoint")
    port = url.port or (443 if url.scheme == "https" else 80)
    if not any(_entry_matches(entry, host, port) for entry in allowed_hosts):
        raise InvalidInput(
            "This push service is not allowed on this server (see FOTFESTE_PUSH_HOSTS)",
            field="endpoint",
        )
    # Plain http only to a loopback host that the deployer listed: tests and local development.
    if url.scheme == "http" and not _is_loopback(host):
        raise InvalidInput("The endpoint must be an https:// URL", field="endpoint")
    return endpoint


def allowed_origin(endpoint: str, allowed_hosts: tuple[str, ...]) -> str:
    """`check_endpoint` at send time, then `origin_of`: cached per scheme://host:port, since a
    fan-out posts thousands of messages to the same few push services. The characters of the
    whole endpoint are checked every time (cheap); everything else check_endpoint looks at
    (scheme, host, port, user info) is in the part before the path, so the verdict is the same."""
    if not _ENDPOINT_CHARS.fullmatch(endpoint):
        raise InvalidInput("The endpoint must not contain control characters", field="endpoint")
    return _allowed_origin("/".join(endpoint.split("/", 3)[:3]), allowed_hosts)


@functools.lru_cache(maxsize=256)
def _allowed_origin(prefix: str, allowed_hosts: tuple[str, ...]) -> str:
    check_endpoint(prefix, allowed_hosts)  # raises, and exceptions are not cached
    return origin_of(prefix)


def origin_of(endpoint: str) -> str:
    """scheme://host[:port] as the VAPID `aud` claim wants it (port only when not the default)."""
    url = URL(endpoint, encoded=True)
    host = (url.raw_host or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if url.scheme == "https" else 80
    port = f":{url.port}" if url.port and url.port != default else ""
    return f"{url.scheme}://{host}{port}"


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
    """Exponential backoff (30 s, 1 min, 2 min, … capped at an hour) with jitter, or exactly the
    push service's Retry-After when it gave one (a short one is honoured too: a service saying
    "in 1 s" wants it in 1 s, not 30; at least 1 s, at most a day). Bounded: give up after
    MAX_ATTEMPTS or once the message's TTL has passed."""
    if attempts >= MAX_ATTEMPTS:
        return Retry(None)
    if retry_after is not None:
        delay = min(max(retry_after, MIN_RETRY_AFTER), timedelta(hours=24))
    else:
        spread = random.uniform(0.8, 1.2) if jitter is None else jitter  # noqa: S311 - not crypto
        delay = min(MAX_BACKOFF, timedelta(seconds=30 * 2 ** max(0, attempts - 1)) * spread)
    at = now + delay
    if at > created_at + timedelta(seconds=ttl_seconds):
        return Retry(None)
    return Retry(at)
