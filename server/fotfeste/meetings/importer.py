"""Import a file or URL (Meeting Guide or BMLT), replacing its meetings in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import msgspec

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Database
from fotfeste.meetings import bmlt, meeting_guide
from fotfeste.meetings.logic import (
    ParsedMeeting,
    ParseResult,
    SourceError,
    meeting_id,
)

log = logging.getLogger(__name__)

Format = Literal["meeting-guide", "bmlt"]
FORMATS: tuple[Format, ...] = ("meeting-guide", "bmlt")
DEFAULT_FELLOWSHIP: dict[str, str] = {"meeting-guide": "AA", "bmlt": "NA"}
# Called as (phase, done, total): the CLI draws a progress bar with it.
Progress = Callable[[str, int, int], None]
_CHUNK = 5000
_MAX_BYTES = 200 * 1024 * 1024
_MAX_PAGES = 1000


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


@dataclass
class ImportReport:
    source: str
    imported: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    not_modified: bool = False


@dataclass
class Fetched:
    body: bytes | None  # None: not modified since the validators we sent
    etag: str | None = None
    last_modified: str | None = None


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in {"http", "https"}


def default_source_name(location: str) -> str:
    if is_url(location):
        parts = urlsplit(location)
        return f"{parts.netloc}{parts.path}".rstrip("/")
    return Path(location).stem


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET a URL with conditional headers; 304 gives Fetched(body=None)."""
    headers = {"Accept": "application/json"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        answer = await client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot fetch {url}: {exc}") from exc
    if answer.status_code == 304:
        return Fetched(None, etag, last_modified)
    if answer.status_code != 200:
        raise SourceError(f"cannot fetch {url}: HTTP {answer.status_code}")
    if len(answer.content) > _MAX_BYTES:
        raise SourceError(f"{url} is larger than {_MAX_BYTES // 2**20} MiB")
    return Fetched(answer.content, answer.headers.get("etag"), answer.headers.get("last-modified"))


def decode(body: bytes, label: str) -> Any:
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise SourceError(f"{label} is not valid JSON: {exc}") from exc


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc


async def read_bmlt_root(
    client: httpx.AsyncClient, root: str, progress: Progress = _quiet
) -> dict[str, Any]:
    """Page through a root server's GetSearchResults; one document with every meeting and format."""
    meetings: list[Any] = []
    formats: list[Any] = []
    for page in range(1, _MAX_PAGES + 1):
        fetched = await fetch(client, bmlt.search_url(root, page))
        assert fetched.body is not None
        page_meetings, page_formats = bmlt.split_document(decode(fetched.body, root))
        meetings.extend(page_meetings)
        formats.extend(page_formats)
        progress("download", len(meetings), 0)
        if len(page_meetings) < bmlt.PAGE_SIZE:
            break
    return {"meetings": meetings, "formats": formats}


def parse(
    fmt: Format, document: Any, *, fellowship: str | None, timezone: str | None
) -> ParseResult:
    chosen = fellowship or DEFAULT_FELLOWSHIP[fmt]
    if fmt == "bmlt":
        return bmlt.parse(document, fellowship=chosen, default_timezone=timezone)
    return meeting_guide.parse(document, fellowship=chosen, default_timezone=timezone)


async def load_document(
    location: str,
    fmt: Format,
    client: httpx.AsyncClient,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    progress: Progress = _quiet,
) -> tuple[Any, Fetched]:
    """Read a file or URL (a BMLT root server is paged through); (None, …) when not modified."""
    if not is_url(location):
        return decode(read_file(location), location), Fetched(b"")
    if fmt == "bmlt" and bmlt.is_root_server(location):
        return await read_bmlt_root(client, location, progress), Fetched(b"")
    fetched = await fetch(client, location, etag=etag, last_modified=last_modified)
    if fetched.body is None:
        return None, fetched
    return decode(fetched.body, location), fetched


async def import_source(
    db: Database,
    clock: Clock,
    location: str,
    fmt: Format,
    *,
    source: str | None = None,
    fellowship: str | None = None,
    timezone: str | None = None,
    client: httpx.AsyncClient | None = None,
    progress: Progress = _quiet,
) -> ImportReport:
    """Read, parse and store one source; SourceError (and no change) when it cannot be read."""
    name = source or default_source_name(location)
    own_client = client is None
    http = client or httpx.AsyncClient(timeout=60, follow_redirects=True)
    try:
        document, fetched = await load_document(location, fmt, http, progress=progress)
    finally:
        if own_client:
            await http.aclose()
    result = parse(fmt, document, fellowship=fellowship, timezone=timezone)
    if result.rejections and not result.meetings:
        # Every record refused is a wrong format or option, not a source that emptied.
        reasons = ", ".join(f"{n} × {reason}" for reason, n in result.reasons().items())
        raise SourceError(f"no record could be imported ({reasons})")
    await replace_source(db, clock, name, fmt, location, result, fetched=fetched, progress=progress)
    return ImportReport(name, len(result.meetings), len(result.rejections), result.reasons())


def _row(source: str, meeting: ParsedMeeting) -> tuple[Any, ...]:
    # meeting.time is always "HH:MM" here (the parsers normalise it).
    start_minute = int(meeting.time[:2]) * 60 + int(meeting.time[3:5])
    return (
        meeting_id(source, meeting.source_key),
        source,
        meeting.source_key,
        meeting.name,
        meeting.fellowship,
        meeting.day,
        meeting.time,
        meeting.end_time,
        start_minute,
        meeting.timezone,
        ",".join(meeting.types),
        meeting.attendance,
        int(meeting.temporarily_closed),
        meeting.location_name,
        meeting.address,
        meeting.lat,
        meeting.lon,
        meeting.conference_url,
        meeting.conference_phone,
        meeting.notes,
        meeting.updated,
    )


_INSERT = (
    "INSERT INTO meetings (id, source, source_key, name, fellowship, day, time, end_time,"
    " start_minute, timezone, types, attendance, temporarily_closed, location_name, address,"
    " lat, lon, conference_url, conference_phone, notes, updated)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


async def replace_source(
    db: Database,
    clock: Clock,
    source: str,
    fmt: Format,
    location: str,
    result: ParseResult,
    *,
    fetched: Fetched | None = None,
    progress: Progress = _quiet,
) -> None:
    """Swap a source's meetings for the parsed ones: all in one transaction, or nothing."""
    now = isoformat_utc(clock.now())
    rows = [_row(source, m) for m in result.meetings]
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO meeting_sources (name, format, location) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET format = excluded.format,"
            " location = excluded.location",
            (source, fmt, location),
        )
        await conn.execute(
            "DELETE FROM meetings_geo WHERE pk IN (SELECT pk FROM meetings WHERE source = ?)",
            (source,),
        )
        await conn.execute("DELETE FROM meetings WHERE source = ?", (source,))
        for start in range(0, len(rows), _CHUNK):
            await conn.executemany(_INSERT, rows[start : start + _CHUNK])
            progress("store", min(start + _CHUNK, len(rows)), len(rows))
        # Inserting in a rough spatial order (1° cells) keeps R*Tree node splits local: faster.
        await conn.execute(
            "INSERT INTO meetings_geo (pk, min_lat, max_lat, min_lon, max_lon)"
            " SELECT pk, lat, lat, lon, lon FROM meetings"
            # A temporarily closed place is never a place to go: it stays out of nearby search.
            " WHERE source = ? AND lat IS NOT NULL AND lon IS NOT NULL AND temporarily_closed = 0"
            " ORDER BY CAST(lat AS INTEGER), CAST(lon AS INTEGER)",
            (source,),
        )
        await conn.execute(
            "UPDATE meeting_sources SET imported_at = ?, checked_at = ?, meetings = ?,"
            " rejected = ?, last_error = NULL, etag = ?, last_modified = ? WHERE name = ?",
            (
                now,
                now,
                len(rows),
                len(result.rejections),
                fetched.etag if fetched else None,
                fetched.last_modified if fetched else None,
                source,
            ),
        )
