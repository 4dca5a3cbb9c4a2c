"""Fetching a feed from a hostile or broken server (issue 22 #12): a gzip bomb, redirects to
another host, cookies; each against a real loopback HTTP server."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest

from fotfeste.meetings.fetching import fetch, new_session
from fotfeste.meetings.logic import SourceError
from tests.api.meetings_fixtures import FEED, FeedServer

Answer = tuple[int, dict[str, str], bytes]


def gzip_bomb(decompressed_mb: int) -> bytes:
    """A gzip body of zeros, built a megabyte at a time (~1 KB per MB compressed)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(2**20)
    return b"".join(packer.compress(zeros) for _ in range(decompressed_mb)) + packer.flush()


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    yield from FeedServer(routes={}).serve()


def route(status: int, headers: dict[str, str], body: bytes = b"") -> object:
    def answer(_headers: dict[str, str], _query: str) -> Answer:
        return status, headers, body

    return answer


async def test_a_gzip_bomb_is_refused_while_it_streams(feeds: FeedServer) -> None:
    bomb = gzip_bomb(300)  # 300 MB of zeros in about 300 KB
    assert len(bomb) < 400_000
    feeds.routes["/bomb.json"] = route(200, {"Content-Encoding": "gzip"}, bomb)
    tracemalloc.start()
    try:
        async with new_session() as session:
            with pytest.raises(SourceError, match="larger than 64 MiB"):
                await fetch(session, f"{feeds.url}/bomb.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Decompressing it whole took 766 MB; streaming under the cap stays near the cap.
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.0f} MiB"


async def test_a_smaller_cap_and_an_honest_gzip_feed(feeds: FeedServer) -> None:
    body = json.dumps(FEED).encode()
    feeds.routes["/feed.json"] = route(200, {"Content-Encoding": "gzip"}, gzip.compress(body))
    feeds.routes["/plain.json"] = route(200, {}, body)
    async with new_session() as session:
        assert (await fetch(session, f"{feeds.url}/feed.json")).body == body
        with pytest.raises(SourceError, match="larger than"):
            await fetch(session, f"{feeds.url}/feed.json", max_bytes=len(body) - 1)
        with pytest.raises(SourceError, match="larger than"):
            await fetch(session, f"{feeds.url}/plain.json", max_bytes=len(body) - 1)
        feeds.routes["/broken.json"] = route(200, {"Content-Encoding": "gzip"}, b"not gzip")
        with pytest.raises(SourceError, match="broken gzip"):
            await fetch(session, f"{feeds.url}/broken.json")
        feeds.routes["/br.json"] = route(200, {"Content-Encoding": "br"}, b"x")
        with pytest.raises(SourceError, match="unsupported Content-Encoding"):
            await fetch(session, f"{feeds.url}/br.json")


async def test_redirects_stay_on_the_feeds_host(feeds: FeedServer) -> None:
    port = feeds.url.rsplit(":", 1)[1]
    feeds.routes["/feed.json"] = route(200, {}, b"[]")
    feeds.routes["/old.json"] = route(301, {"Location": "/feed.json"})
    # Same server, another host name: as far as the feed's URL goes, another host.
    feeds.routes["/away.json"] = route(302, {"Location": f"http://localhost:{port}/feed.json"})
    feeds.routes["/loop.json"] = route(302, {"Location": "/loop.json"})
    async with new_session() as session:
        assert (await fetch(session, f"{feeds.url}/old.json")).body == b"[]"
        with pytest.raises(SourceError, match=r"redirects to another host \(localhost\)"):
            await fetch(session, f"{feeds.url}/away.json")
        with pytest.raises(SourceError, match="more than 5 redirects"):
            await fetch(session, f"{feeds.url}/loop.json")
    assert not any(path == "/feed.json" for path, h in feeds.requests if "localhost" in h["host"])


async def test_no_cookies_are_kept(feeds: FeedServer) -> None:
    feeds.routes["/feed.json"] = route(200, {"Set-Cookie": "track=1; Path=/"}, b"[]")
    async with new_session() as session:
        await fetch(session, f"{feeds.url}/feed.json")
        await fetch(session, f"{feeds.url}/feed.json")
    assert [h.get("cookie") for _, h in feeds.requests] == [None, None]


async def test_errors_are_plain_source_errors(feeds: FeedServer) -> None:
    async with new_session() as session:
        with pytest.raises(SourceError, match="HTTP 404"):
            await fetch(session, f"{feeds.url}/missing.json")
        with pytest.raises(SourceError, match="cannot fetch"):
            await fetch(session, "http://127.0.0.1:9/feed.json")  # nothing listens on port 9
