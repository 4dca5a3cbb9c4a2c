"""The worker that keeps configured meeting feeds current with conditional GETs (ETag)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

import aiohttp

from fotfeste.clock import isoformat_utc
from fotfeste.db import Conn, Database
from fotfeste.meetings.fetching import new_session
from fotfeste.meetings.importer import (
    ImportReport,
    ShrinkRefused,
    check_usable,
    load_document,
    parse,
    replace_source,
)
from fotfeste.meetings.logic import SourceError
from fotfeste.settings import MeetingFeed
from fotfeste.workers import WorkerContext

log = logging.getLogger(__name__)


async def meeting_feed_refresher(ctx: WorkerContext) -> None:
    """Fetch each configured feed when it is due; look every `meeting_feed_poll_seconds`."""
    if not ctx.settings.meeting_feeds:
        return
    # One session for every feed: its connections are reused from one refresh to the next.
    async with new_session() as client:
        while True:
            await refresh_due_feeds(ctx, client)
            await asyncio.sleep(ctx.settings.meeting_feed_poll_seconds)


async def refresh_due_feeds(ctx: WorkerContext, client: aiohttp.ClientSession) -> list[str]:
    """Refresh every feed whose last check is older than the interval; names of those fetched."""
    now = ctx.clock.now()
    interval = timedelta(seconds=ctx.settings.meeting_feed_interval_seconds)
    fetched = []
    for feed in ctx.settings.meeting_feeds:
        row = await ctx.db.fetchone(
            "SELECT location, checked_at, etag, last_modified FROM meeting_sources WHERE name = ?",
            (feed.name,),
        )
        if (
            row is not None
            and row["location"] == feed.url
            and row["checked_at"]
            and datetime.fromisoformat(row["checked_at"]) + interval > now
        ):
            continue
        # A changed URL is a new feed: its old validators say nothing about the new one.
        same = row is not None and row["location"] == feed.url
        try:
            await refresh_feed(
                ctx.db,
                ctx,
                client,
                feed,
                etag=row["etag"] if same and row else None,
                last_modified=row["last_modified"] if same and row else None,
            )
        except Exception as exc:
            # One feed's surprise (a bug, a record no rule foresaw) must not stop the others.
            log.exception("meeting feed %s failed; the other feeds go on", feed.name)
            # Noted as a check, so the feed is tried again after the interval, not at every
            # poll: a bug must not make us fetch someone's feed every minute.
            with contextlib.suppress(Exception):
                error = f"unexpected error ({type(exc).__name__}); see the server log"
                await _note(ctx.db, feed, isoformat_utc(now), error=error)
            continue
        fetched.append(feed.name)
    return fetched


async def refresh_feed(
    db: Database,
    ctx: WorkerContext,
    client: aiohttp.ClientSession,
    feed: MeetingFeed,
    *,
    etag: str | None,
    last_modified: str | None,
) -> None:
    now = isoformat_utc(ctx.clock.now())
    try:
        document, fetched = await load_document(
            feed.url, feed.format, client, etag=etag, last_modified=last_modified
        )
    except SourceError as exc:
        # The meetings from the last good fetch stay; the error is kept for the operator.
        log.warning("meeting feed %s: %s", feed.name, exc)
        await _note(db, feed, now, error=str(exc))
        return
    if document is None:
        log.info("meeting feed %s: not modified", feed.name)
        await _note(db, feed, now, error=None)
        return
    try:
        result = parse(feed.format, document, fellowship=feed.fellowship, timezone=feed.timezone)
        check_usable(result)
        await replace_source(
            db, ctx.clock, feed.name, feed.format, feed.url, result, fetched=fetched
        )
    except ShrinkRefused as exc:
        # The meetings stay; checked_at moves on, so the next interval tries again.
        log.warning("meeting feed %s: kept the current meetings: %s", feed.name, exc)
        await _note(db, feed, now, error=f"kept the current meetings: {exc}")
        return
    except SourceError as exc:
        log.warning("meeting feed %s: %s", feed.name, exc)
        await _note(db, feed, now, error=str(exc))
        return
    log.info("meeting feed %s: %s", feed.name, ImportReport.of(feed.name, result).line())


async def _note(db: Database, feed: MeetingFeed, now: str, *, error: str | None) -> None:
    def note(conn: Conn) -> None:
        conn.execute(
            "INSERT INTO meeting_sources (name, format, location, checked_at, last_error)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
            " checked_at = excluded.checked_at, last_error = excluded.last_error,"
            # The stored row by its table's name: a bare column would be ambiguous on PostgreSQL.
            " etag = CASE WHEN meeting_sources.location = excluded.location"
            " THEN meeting_sources.etag END,"
            " last_modified = CASE WHEN meeting_sources.location = excluded.location"
            " THEN meeting_sources.last_modified END,"
            " location = excluded.location",
            (feed.name, feed.format, feed.url, now, error),
        )

    await db.write(note)
