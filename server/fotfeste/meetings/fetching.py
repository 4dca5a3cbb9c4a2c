"""Fetching feeds with aiohttp: one session, timeouts, no cookies, no redirect off the feed's
host, and a cap on the bytes a body may decompress to, checked while it streams."""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp

from fotfeste.meetings.logic import SourceError

# Real feeds are a few MB (10,000 Meeting Guide records are ~8 MB); a body that decompresses
# beyond this is refused before it can take the server's memory.
MAX_BODY_BYTES = 64 * 2**20
MAX_REDIRECTS = 5
TIMEOUT = aiohttp.ClientTimeout(total=120, connect=15, sock_read=60)
_CHUNK = 64 * 1024
# Decompressed bytes per step: 64 KB of zeros inflate to 64 MB, so a step is bounded too.
_STEP = 2**20
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass
class Fetched:
    body: bytes | None  # None: not modified since the validators we sent
    etag: str | None = None
    last_modified: str | None = None


def new_session() -> aiohttp.ClientSession:
    """The one client session for feeds: bodies are decompressed here, under the cap."""
    return aiohttp.ClientSession(
        timeout=TIMEOUT,
        cookie_jar=aiohttp.DummyCookieJar(),  # a feed has no business setting cookies
        auto_decompress=False,
        headers={"User-Agent": "Fotfeste meeting import", "Accept-Encoding": "gzip, deflate"},
    )


def _same_host(origin: str, target: str) -> bool:
    before, after = urlsplit(origin), urlsplit(target)
    if after.scheme not in {"http", "https"} or (before.scheme, after.scheme) == ("https", "http"):
        return False
    return before.hostname is not None and before.hostname == after.hostname


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> Fetched:
    """GET with conditional headers; 304 gives Fetched(body=None); SourceError otherwise."""
    headers = {"Accept": "application/json"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            async with session.get(current, headers=headers, allow_redirects=False) as answer:
                if answer.status in _REDIRECTS:
                    target = urljoin(current, answer.headers.get("Location", ""))
                    if not _same_host(url, target):
                        host = urlsplit(target).hostname or target
                        raise SourceError(
                            f"cannot fetch {url}: it redirects to another host ({host})"
                        )
                    current = target
                    continue
                if answer.status == 304:
                    return Fetched(None, etag, last_modified)
                if answer.status != 200:
                    raise SourceError(f"cannot fetch {url}: HTTP {answer.status}")
                body = await _read_capped(answer, url, max_bytes)
                return Fetched(
                    body, answer.headers.get("ETag"), answer.headers.get("Last-Modified")
                )
    except aiohttp.ClientError as exc:
        raise SourceError(f"cannot fetch {url}: {exc or type(exc).__name__}") from exc
    except TimeoutError as exc:
        raise SourceError(f"cannot fetch {url}: no answer in time") from exc
    raise SourceError(f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects")


async def _read_capped(answer: aiohttp.ClientResponse, url: str, max_bytes: int) -> bytes:
    """The body, decompressed in bounded steps; refused as soon as it passes `max_bytes`."""
    too_large = SourceError(f"{url} is larger than {max_bytes // 2**20} MiB; nothing read")
    encoding = answer.headers.get("Content-Encoding", "").strip().lower()
    if encoding in {"", "identity"}:
        decoder = None
        if (answer.content_length or 0) > max_bytes:
            raise too_large
    elif encoding in {"gzip", "x-gzip", "deflate"}:
        decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, detected
    else:
        raise SourceError(f"cannot fetch {url}: unsupported Content-Encoding {encoding!r}")
    out = bytearray()
    async for chunk in answer.content.iter_chunked(_CHUNK):
        if decoder is None:
            out += chunk
        else:
            pending = chunk
            while pending:
                try:
                    # Bounded steps, at most one byte past the cap: a bomb gets no further.
                    out += decoder.decompress(pending, min(_STEP, max_bytes - len(out) + 1))
                except zlib.error as exc:
                    raise SourceError(f"cannot fetch {url}: broken {encoding} body") from exc
                if len(out) > max_bytes:
                    raise too_large
                pending = decoder.unconsumed_tail
        if len(out) > max_bytes:
            raise too_large
        await asyncio.sleep(0)  # a large body never holds the event loop for long
    if decoder is not None:
        out += decoder.flush()
        if len(out) > max_bytes:
            raise too_large
    return bytes(out)
