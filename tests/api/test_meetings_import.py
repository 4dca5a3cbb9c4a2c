"""Importing meetings as an operator does (CLI, URLs, BMLT servers) and the feed refresher."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from fotfeste.meetings.feeds import refresh_due_feeds
from fotfeste.meetings.fetching import new_session
from fotfeste.meetings.logic import meeting_id
from fotfeste.settings import MeetingFeed
from fotfeste.workers import WorkerContext
from tests.api.meetings_fixtures import FEED, FeedServer, etag_route, run_import, write_feed
from tests.conftest import SHARED_DATA, LiveServer, make_settings
from tests.server import database_session


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    yield from FeedServer(routes={}).serve()


def count(where: Path | LiveServer, source: str) -> int:
    """Meetings of a source: in a running server, or in the database a CLI used for a data dir."""
    sql, params = "SELECT count(*) FROM meetings WHERE source = ?", (source,)
    if isinstance(where, LiveServer):
        [(value,)] = where.query(sql, params)
    else:
        with database_session(make_settings(where)) as db:
            [(value,)] = db.query(sql, params)
    return int(value)


def test_import_counts_meetings_and_rejections_with_reasons(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "aa.json", FEED)
    done = run_import(tmp_path, str(feed), "--format", "meeting-guide")
    assert done.returncode == 0, done.stderr
    # 7 records, one of them on two days; two refused.
    assert "aa: 8 meetings imported, 2 records rejected" in done.stdout
    # The record without a day is by appointment: "no day", not an impossible one.
    assert "1 × no day" in done.stdout and "1 × no name" in done.stdout
    assert count(tmp_path, "aa") == 8


@pytest.mark.slow
def test_reimport_replaces_the_source_only(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "aa.json", FEED)
    assert run_import(tmp_path, str(feed), "--format", "meeting-guide").returncode == 0
    other = write_feed(tmp_path / "na.json", FEED[:1])
    assert run_import(tmp_path, str(other), "--format", "meeting-guide").returncode == 0
    write_feed(feed, FEED[:2])
    # 8 → 2 is less than half: refused without --allow-shrink, nothing changes.
    refused = run_import(tmp_path, str(feed), "--format", "meeting-guide")
    assert refused.returncode == 1 and "--allow-shrink" in refused.stderr
    assert count(tmp_path, "aa") == 8
    shrink = run_import(tmp_path, str(feed), "--format", "meeting-guide", "--allow-shrink")
    assert shrink.returncode == 0, shrink.stderr
    assert (count(tmp_path, "aa"), count(tmp_path, "na")) == (2, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"name": "a single object"}', "JSON array"),
        (json.dumps([{"name": "x", "day": 9, "time": "19:00"}]), "no record could be imported"),
    ],
)
def test_unreadable_source_changes_nothing_and_fails(
    tmp_path: Path, content: str, message: str
) -> None:
    feed = write_feed(tmp_path / "aa.json", FEED)
    assert run_import(tmp_path, str(feed), "--format", "meeting-guide").returncode == 0
    feed.write_text(content)
    done = run_import(tmp_path, str(feed), "--format", "meeting-guide")
    assert done.returncode != 0
    assert message in done.stderr
    assert count(tmp_path, "aa") == 8


def test_a_feed_that_starts_with_a_byte_order_mark_is_read(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # PHP sites often send one before the JSON; browsers (and so TSML UI) read past it.
    body = "\ufeff".encode() + json.dumps(FEED).encode()
    feed_server.routes["/bom.json"] = etag_route({"etag": '"b"', "body": body})
    done = run_import(tmp_path, f"{feed_server.url}/bom.json", "--format", "meeting-guide")
    assert done.returncode == 0, done.stderr
    assert "8 meetings imported" in done.stdout


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    done = run_import(tmp_path, str(tmp_path / "nope.json"), "--format", "bmlt")
    assert done.returncode == 1 and "cannot read" in done.stderr
    bad_zone = run_import(tmp_path, "x.json", "--format", "bmlt", "--timezone", "Mars/Base")
    assert bad_zone.returncode == 2 and "time zone" in bad_zone.stderr
    assert run_import(tmp_path, "x.json", "--format", "csv").returncode == 2


def test_bmlt_sample_with_default_zone_and_fellowship(tmp_path: Path) -> None:
    sample = str(SHARED_DATA / "bmlt-sample-search.json")
    done = run_import(tmp_path, sample, "--format", "bmlt", "--source", "na-ny")
    assert done.returncode == 1 and "no time zone" in done.stderr
    done = run_import(
        tmp_path, sample, "--format", "bmlt", "--source", "na-ny", "--timezone", "America/New_York"
    )
    assert done.returncode == 0, done.stderr
    assert "na-ny: 53 meetings imported, 0 records rejected" in done.stdout
    with database_session(make_settings(tmp_path)) as db:
        [row] = db.query(
            "SELECT fellowship, day, time, types, timezone FROM meetings WHERE id = ?",
            (meeting_id("na-ny", "2566"),),
        )
    assert row == ("NA", 1, "19:00", "O", "America/New_York")


def test_import_from_url_and_from_a_bmlt_root_server(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    sample = json.loads((SHARED_DATA / "bmlt-sample-search.json").read_text())
    extra = [
        {**sample["meetings"][0], "id_bigint": str(100_000 + i), "meeting_name": f"Group {i}"}
        for i in range(500)
    ]
    pages = {1: extra, 2: sample["meetings"]}

    def search(_headers: dict[str, str], query: str) -> tuple[int, dict[str, str], bytes]:
        params = parse_qs(query)
        assert params["switcher"] == ["GetSearchResults"]
        assert params["get_used_formats"] == ["1"]
        page = pages.get(int(params["page_num"][0]), [])
        body = {"meetings": page, "formats": sample["formats"]}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    feed_server.routes["/main_server/client_interface/json/"] = search
    feed_server.routes["/aa.json"] = etag_route({"etag": '"v1"', "body": json.dumps(FEED).encode()})
    done = _import_root_server(tmp_path, feed_server)
    assert done.returncode == 0, done.stderr
    assert "root: 553 meetings imported" in done.stdout
    assert [parse_qs(p.partition("?")[2])["page_num"] for p, _ in feed_server.requests] == [
        ["1"],
        ["2"],
    ]
    done = run_import(tmp_path, f"{feed_server.url}/aa.json", "--format", "meeting-guide")
    assert done.returncode == 0, done.stderr
    assert count(tmp_path, f"127.0.0.1:{feed_server.url.rsplit(':', 1)[1]}/aa.json") == 8
    missing = run_import(tmp_path, f"{feed_server.url}/gone.json", "--format", "meeting-guide")
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr


def test_a_root_server_is_paged_in_an_order_that_holds_from_page_to_page(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # 700 meetings, every one on Monday at 19:00 for an hour: BMLT's default order (weekday,
    # start, duration) ties them all, and SQL may order ties differently in each LIMIT/OFFSET
    # query (MySQL does). This server does: ties by id, reversed on every other page.
    sample = json.loads((SHARED_DATA / "bmlt-sample-search.json").read_text())
    meetings = [
        {**sample["meetings"][0], "id_bigint": str(1000 + i), "meeting_name": f"Grupp {i}",
         "weekday_tinyint": "2", "start_time": "19:00:00", "duration_time": "01:00:00"}
        for i in range(700)
    ]  # fmt: skip

    def search(_headers: dict[str, str], query: str) -> tuple[int, dict[str, str], bytes]:
        params = parse_qs(query)
        size, number = int(params["page_size"][0]), int(params["page_num"][0])
        by_id = params.get("sort_keys") == ["id_bigint"]
        ordered = sorted(meetings, key=lambda m: int(m["id_bigint"]), reverse=number % 2 == 0)
        if by_id:
            ordered.sort(key=lambda m: int(m["id_bigint"]))
        page = ordered[(number - 1) * size : number * size]
        body = {"meetings": page, "formats": sample["formats"]}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    feed_server.routes["/main_server/client_interface/json/"] = search
    done = _import_root_server(tmp_path, feed_server)
    assert done.returncode == 0, done.stderr
    assert "root: 700 meetings imported, 0 records rejected" in done.stdout
    assert count(tmp_path, "root") == 700


def _import_root_server(
    tmp_path: Path, feed_server: FeedServer
) -> subprocess.CompletedProcess[str]:
    """`fotfeste meetings import` of the BMLT root server that the feed server plays."""
    return run_import(
        tmp_path,
        f"{feed_server.url}/main_server",
        "--format",
        "bmlt",
        "--source",
        "root",
        "--timezone",
        "America/New_York",
    )


def _wait_for(check: Callable[[], Any], seconds: float = 10) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


async def _refresher_pass(server: LiveServer) -> list[str]:
    """One pass of the server's feed refresher (on its loop, with its database and clock)."""
    context = WorkerContext(server.settings, server.db, server.clock, server.state)
    async with new_session() as client:
        return await refresh_due_feeds(context, client)


def test_configured_feed_refreshes_with_etag(
    server_factory: Callable[..., LiveServer], feed_server: FeedServer
) -> None:
    state = {"etag": '"v1"', "body": json.dumps(FEED).encode()}
    feed_server.routes["/feed.json"] = etag_route(state)
    server = server_factory(
        meeting_feeds=(
            MeetingFeed(name="aa-se", url=f"{feed_server.url}/feed.json", format="meeting-guide"),
        ),
        meeting_feed_interval_seconds=3600,
        meeting_feed_poll_seconds=0.05,
    )
    monday = meeting_id("aa-se", "sthlm-monday")

    def name() -> str | None:
        answer = httpx.get(f"{server.url}/api/meetings/{monday}")
        return answer.json()["name"] if answer.status_code == 200 else None

    assert _wait_for(name) == "Måndagsgruppen"
    assert "if-none-match" not in feed_server.requests[0][1]
    # Not due again within the interval: the refresher's next pass, run now, fetches nothing.
    assert server.run(_refresher_pass(server)) == []
    assert len(feed_server.requests) == 1

    # An hour later: a conditional GET, answered 304; the meetings stay.
    server.clock.advance(timedelta(hours=1, seconds=1))
    _wait_for(lambda: len(feed_server.requests) >= 2)
    assert feed_server.requests[1][1]["if-none-match"] == '"v1"'
    assert feed_server.requests[1][1]["if-modified-since"] == "Mon, 16 Mar 2026 08:00:00 GMT"
    assert name() == "Måndagsgruppen"

    # The feed changes: the next refresh replaces the meetings.
    renamed = [
        {**r, "name": "Måndagsgruppen (ny)"} if r["slug"] == "sthlm-monday" else r for r in FEED
    ]
    state.update(etag='"v2"', body=json.dumps(renamed).encode())
    server.clock.advance(timedelta(hours=1, seconds=1))
    assert _wait_for(lambda: name() == "Måndagsgruppen (ny)")


def test_a_feed_that_trips_a_bug_is_tried_again_after_the_interval_not_every_poll(
    server_factory: Callable[..., LiveServer],
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug met while reading one feed (stood in for by a parser that raises) is noted like a
    failed fetch: the operator sees it, and the feed's server is not asked again at every poll."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a record no rule foresaw")

    monkeypatch.setattr("fotfeste.meetings.feeds.parse", broken)
    feed_server.routes["/feed.json"] = etag_route(
        {"etag": '"v1"', "body": json.dumps(FEED).encode()}
    )
    server = server_factory(
        meeting_feeds=(
            MeetingFeed(name="aa-se", url=f"{feed_server.url}/feed.json", format="meeting-guide"),
        ),
        meeting_feed_interval_seconds=3600,
        meeting_feed_poll_seconds=3600,
    )
    error = _wait_for(
        lambda: server.query("SELECT last_error FROM meeting_sources WHERE name = 'aa-se'")
    )[0][0]
    assert "unexpected error (RuntimeError)" in error
    # The next pass, within the interval, leaves the feed alone.
    assert server.run(_refresher_pass(server)) == []
    assert len(feed_server.requests) == 1
    # After the interval it is tried again.
    server.clock.advance(timedelta(hours=1, seconds=1))
    server.run(_refresher_pass(server))
    assert len(feed_server.requests) == 2


def test_broken_feed_keeps_last_good_meetings(
    server_factory: Callable[..., LiveServer], feed_server: FeedServer
) -> None:
    state = {"etag": '"v1"', "body": json.dumps(FEED).encode()}
    feed_server.routes["/feed.json"] = etag_route(state)
    server = server_factory(
        meeting_feeds=(
            MeetingFeed(name="aa-se", url=f"{feed_server.url}/feed.json", format="meeting-guide"),
        ),
        meeting_feed_interval_seconds=60,
        meeting_feed_poll_seconds=0.05,
    )
    _wait_for(lambda: count(server, "aa-se") == 8)
    state.update(etag='"broken"', body=b"<html>oops</html>")
    server.clock.advance(timedelta(minutes=2))
    _wait_for(lambda: len(feed_server.requests) >= 2)
    error = _wait_for(
        lambda: server.query("SELECT last_error FROM meeting_sources WHERE name = 'aa-se'")[0][0]
    )
    assert "not valid JSON" in error
    assert count(server, "aa-se") == 8
