"""Security headers on every response, API, PWA files and errors alike."""

from __future__ import annotations

from litestar.types import HTTPResponseStartEvent

# Every fetch directive left out (script, style, img, font, connect, manifest, worker) falls back
# to default-src 'self': the same policy as listing each, in a third of the bytes, which every
# response carries (a first load has about 45 of them).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Only features Chromium knows: an unknown one is a console message on every page (Chromium 156
# knows neither interest-cohort, withdrawn, nor bluetooth). tests/browser/test_phone.py fails on
# any console error or warning.
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), "
    "browsing-topics=()"
)

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("permissions-policy", PERMISSIONS_POLICY),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)


_RAW_SECURITY_HEADERS = tuple((name.encode(), value.encode()) for name, value in SECURITY_HEADERS)


def add_security_headers(message: HTTPResponseStartEvent, path: str) -> None:
    """Add the headers to an `http.response.start` message, keeping any the answer set itself.

    Raw ASGI headers, looked at once: this runs for every response, so it avoids the per-header
    scans of MutableScopeHeaders (a tenth of a small request's time).
    """
    headers = list(message.get("headers") or ())
    present = {bytes(name).lower() for name, _ in headers}
    headers.extend(pair for pair in _RAW_SECURITY_HEADERS if pair[0] not in present)
    if b"cache-control" not in present:
        # API answers are personal; anything else revalidates (the PWA's files set their own).
        headers.append((b"cache-control", b"no-store" if path.startswith("/api/") else b"no-cache"))
    message["headers"] = headers
