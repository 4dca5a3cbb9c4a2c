"""Push rules: the allowlist, subscription keys, status codes, backoff, payload, VAPID, texts."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import http_ece
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from fotfeste.clock import FixedClock
from fotfeste.errors import InvalidInput
from fotfeste.push.delivery import Delivery
from fotfeste.push.encryption import encrypt_one
from fotfeste.push.keys import VapidKey, parse_private_key
from fotfeste.push.logic import (
    MAX_ATTEMPTS,
    MAX_PAYLOAD_BYTES,
    Outcome,
    allowed_origin,
    b64url_encode,
    check_endpoint,
    check_keys,
    check_payload,
    check_topic,
    classify,
    next_retry,
    origin_of,
    parse_retry_after,
)
from fotfeste.push.texts import _TEXTS, notification
from fotfeste.settings import DEFAULT_PUSH_HOSTS

NOW = datetime(2026, 3, 16, 11, tzinfo=UTC)
HOSTS = (*DEFAULT_PUSH_HOSTS, "127.0.0.1:*", "[::1]:8443", "push.example.org:8443")


@pytest.mark.parametrize(
    ("endpoint", "allowed"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", True),
        ("https://updates.push.services.mozilla.com/wpush/v2/abc", True),
        ("https://web.push.apple.com/QGx", True),
        ("https://wns2-par02p.notify.windows.com/w/?token=abc", True),
        ("https://FCM.googleapis.com./fcm/send/abc", True),
        ("http://127.0.0.1:9999/push/1", True),
        ("https://[::1]:8443/push/1", True),
        ("http://[::1]:8443/push/1", True),
        ("https://push.example.org:8443/x", True),
        ("https://push.example.org/x", False),  # listed with a port: only that port
        ("https://[::1]:8444/push/1", False),
        ("http://fcm.googleapis.com/fcm/send/abc", False),  # plain http to a public host
        ("https://notify.windows.com/w/", False),  # the wildcard needs a subdomain
        ("https://evilnotify.windows.com/w/", False),
        ("https://fcm.googleapis.com.evil.org/x", False),
        ("https://evil.org/fcm.googleapis.com", False),
        ("https://user@fcm.googleapis.com/x", False),
        ("http://127.0.0.2/push", False),
        ("http://localhost/push", False),
        ("http://169.254.169.254/", False),
        ("file:///etc/passwd", False),
        ("https://fcm.googleapis.com:99999/x", False),
        # Issue 22: a listed host without a port is port 443 only.
        ("https://fcm.googleapis.com:443/fcm/send/abc", True),
        ("https://fcm.googleapis.com:22/x", False),
        ("https://fcm.googleapis.com:8443/x", False),
        # Issue 22: whitespace and control characters anywhere, and hosts that are no DNS name.
        ("https://fcm.googleapis.com/x\r\n", False),
        ("https://fcm.googleapis.com/x\nInjected: 1", False),
        ("https://fcm.googleapis.com/a\tb", False),
        ("https://fcm.googleapis.com/a b", False),
        (" https://fcm.googleapis.com/x", False),
        ("https://fcm.googleapis.com/x\x00", False),
        ("https://fcm.googleapis.com/x\x7f", False),
        ("https://fcm.googleapis.com/fcm/send/\u00e9", False),
        ("https://a_b.notify.windows.com/w/", False),
        ("https://-a.notify.windows.com/w/", False),
        ("https://a..notify.windows.com/w/", False),
        (f"https://{'a' * 64}.notify.windows.com/w/", False),
        ("https://fcm.googleapis.com#@evil.org/x", False),
        ("", False),
    ],
)
def test_allowlist(endpoint: str, allowed: bool) -> None:
    # Twice each: the sender's cached check must give the same verdict the second time too.
    for _ in range(2):
        if allowed:
            assert check_endpoint(endpoint, HOSTS) == endpoint
            assert allowed_origin(endpoint, HOSTS) == origin_of(endpoint)
        else:
            with pytest.raises(InvalidInput):
                check_endpoint(endpoint, HOSTS)
            with pytest.raises(InvalidInput):
                allowed_origin(endpoint, HOSTS)


@pytest.mark.parametrize(
    "endpoint",
    ["https://evil.org?@fcm.googleapis.com/x", "https://evil.org#@fcm.googleapis.com/x"],
)
def test_tricks_in_the_authority_are_refused_by_the_send_time_check(endpoint: str) -> None:
    with pytest.raises(InvalidInput):
        allowed_origin(endpoint, HOSTS)


def test_a_shrunk_allowlist_applies_at_once_despite_the_cache() -> None:
    endpoint = "https://push.example.org:8443/x"
    assert allowed_origin(endpoint, HOSTS) == "https://push.example.org:8443"
    with pytest.raises(InvalidInput):
        allowed_origin(endpoint, DEFAULT_PUSH_HOSTS)


@pytest.mark.parametrize(
    ("endpoint", "origin"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com"),
        ("https://push.example.org:443/x", "https://push.example.org"),
        ("https://push.example.org:8443/x", "https://push.example.org:8443"),
        ("http://127.0.0.1:9999/push/1", "http://127.0.0.1:9999"),
    ],
)
def test_origin_is_the_vapid_audience(endpoint: str, origin: str) -> None:
    assert origin_of(endpoint) == origin


def _point() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url_encode(
        key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )


def test_keys_must_be_a_p256_point_and_16_bytes() -> None:
    good_auth = b64url_encode(os.urandom(16))
    check_keys(_point(), good_auth)
    with pytest.raises(InvalidInput, match="p256dh"):
        check_keys(b64url_encode(b"\x04" + bytes(64)), good_auth)
    with pytest.raises(InvalidInput, match="p256dh"):
        check_keys(_point()[:-4], good_auth)
    with pytest.raises(InvalidInput, match="auth"):
        check_keys(_point(), b64url_encode(os.urandom(15)))
    with pytest.raises(InvalidInput, match="auth"):
        check_keys(_point(), "a+b/")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (201, Outcome.DONE),
        (200, Outcome.DONE),
        (404, Outcome.GONE),
        (410, Outcome.GONE),
        (413, Outcome.TOO_LARGE),
        (429, Outcome.RETRY),
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (400, Outcome.REJECTED),
        (401, Outcome.REJECTED),
        (403, Outcome.REJECTED),
        (301, Outcome.REJECTED),
    ],
)
def test_classify(status: int, outcome: Outcome) -> None:
    assert classify(status) is outcome


def test_backoff_grows_honours_retry_after_and_is_bounded() -> None:
    day = 86400
    first = next_retry(1, NOW, NOW, day, None, jitter=1.0).at
    second = next_retry(2, NOW, NOW, day, None, jitter=1.0).at
    assert first == NOW + timedelta(seconds=30)
    assert second == NOW + timedelta(seconds=60)
    assert next_retry(1, NOW, NOW, day, timedelta(minutes=10), jitter=1.0).at == NOW + timedelta(
        minutes=10
    )
    # A short Retry-After is honoured as given (issue 17), not stretched to the 30-s backoff;
    # 0 means "not before a second"; the attempt after it backs off as usual.
    assert next_retry(1, NOW, NOW, day, timedelta(seconds=1)).at == NOW + timedelta(seconds=1)
    assert next_retry(1, NOW, NOW, day, timedelta(0)).at == NOW + timedelta(seconds=1)
    assert next_retry(3, NOW, NOW, day, timedelta(seconds=2)).at == NOW + timedelta(seconds=2)
    assert next_retry(1, NOW, NOW, day * 9, timedelta(days=5)).at == NOW + timedelta(days=1)
    assert next_retry(2, NOW, NOW, day, None, jitter=1.0).at == NOW + timedelta(seconds=60)
    assert next_retry(7, NOW, NOW, day, None, jitter=1.0).at == NOW + timedelta(minutes=32)
    assert next_retry(MAX_ATTEMPTS, NOW, NOW, day, None).at is None
    # Past the message's TTL: give up.
    assert next_retry(1, NOW, NOW, 10, None, jitter=1.0).at is None


def test_retry_after_as_seconds_or_date() -> None:
    assert parse_retry_after("120", NOW) == timedelta(seconds=120)
    assert parse_retry_after("Mon, 16 Mar 2026 11:05:00 GMT", NOW) == timedelta(minutes=5)
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_payload_and_topic_limits() -> None:
    assert check_payload(b"x" * MAX_PAYLOAD_BYTES)
    with pytest.raises(ValueError, match="at most"):
        check_payload(b"x" * (MAX_PAYLOAD_BYTES + 1))
    assert check_topic("fotfeste-checkin") == "fotfeste-checkin"
    for bad in ("a" * 33, "has space", "ä"):
        with pytest.raises(ValueError, match="topic"):
            check_topic(bad)


def test_encryption_decrypts_with_http_ece_up_to_the_limit() -> None:
    browser = ec.generate_private_key(ec.SECP256R1())
    p256dh = b64url_encode(
        browser.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    auth = os.urandom(16)
    for payload in (b'{"title":"hi"}', b"y" * MAX_PAYLOAD_BYTES):
        body = encrypt_one(payload, p256dh, b64url_encode(auth))
        assert len(body) <= 4096 + 86
        plain = http_ece.decrypt(body, private_key=browser, auth_secret=auth, version="aes128gcm")
        assert plain == payload
    with pytest.raises(ValueError, match="at most"):
        encrypt_one(b"z" * (MAX_PAYLOAD_BYTES + 1), p256dh, b64url_encode(auth))


def test_vapid_jwt_has_the_right_claims_and_is_cached_under_an_hour() -> None:
    key = VapidKey(ec.generate_private_key(ec.SECP256R1()), "test")
    clock = FixedClock(NOW)
    delivery = Delivery(key, "https://fotfeste.example.org", HOSTS, clock, None)  # type: ignore[arg-type]
    header = delivery.authorization("https://fcm.googleapis.com")
    token = header.split("t=")[1].split(",")[0]
    claims = jwt.decode(
        token,
        key.private_key.public_key(),
        algorithms=["ES256"],
        audience="https://fcm.googleapis.com",
        options={"verify_exp": False},
    )
    assert claims["sub"] == "https://fotfeste.example.org"  # no mailto: prefix added
    assert NOW.timestamp() < claims["exp"] <= (NOW + timedelta(hours=24)).timestamp()
    assert header.endswith(f"k={key.application_server_key}")
    clock.advance(timedelta(minutes=49))
    assert delivery.authorization("https://fcm.googleapis.com") == header
    assert delivery.authorization("https://web.push.apple.com") != header
    clock.advance(timedelta(minutes=2))
    assert delivery.authorization("https://fcm.googleapis.com") != header


def test_a_deployer_key_can_be_raw_base64url_or_pem() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = b64url_encode(key.private_numbers().private_value.to_bytes(32, "big"))
    assert parse_private_key(raw).private_numbers() == key.private_numbers()
    pem = VapidKey(key, "x").private_pem.decode()
    assert parse_private_key(pem).private_numbers() == key.private_numbers()
    with pytest.raises(ValueError, match="base64url"):
        parse_private_key("nonsense")


_REVEALING = (
    "drog", "nykter", "alkohol", "möte", "møte", "møde", "incheck", "innsjekk", "check",
    "drug", "sober", "meeting", "milestone", "dag", "day", "fotfeste", "recovery",
)  # fmt: skip


@pytest.mark.parametrize("locale", ["sv", "nb", "da", "en"])
@pytest.mark.parametrize("kind", ["checkin", "followup", "meeting", "milestone", "test"])
def test_discreet_texts_say_nothing(locale: str, kind: str) -> None:
    params = {"name": "NA Södermalm", "time": "19:00", "days": "30"}
    shown = json.loads(notification(kind, locale, discreet=True, url="/", params=params))
    text = f"{shown['title']} {shown['body']}".lower()
    assert not any(word in text for word in _REVEALING), text
    plain = json.loads(notification(kind, locale, discreet=False, url="/", params=params))
    assert plain["title"] != shown["title"]


def test_every_locale_has_every_text() -> None:
    assert {frozenset(texts) for texts in _TEXTS.values()} == {frozenset(_TEXTS["en"])}


def test_logs_name_the_service_never_an_address_or_path() -> None:
    from fotfeste.push.logic import service_name

    assert service_name("https://fcm.googleapis.com/fcm/send/secret") == "fcm.googleapis.com"
    assert service_name("http://127.0.0.1:9999/push/secret") == "(an IP address)"
    assert service_name("https://[::1]:8443/push/secret") == "(an IP address)"
