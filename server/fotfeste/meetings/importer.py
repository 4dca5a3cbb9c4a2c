"""Import a file or URL (Meeting Guide or BMLT), replacing its meetings in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import aiohttp
import msgspec

from fotfeste.clock import Clock, isoformat_utc
from fotfeste.db import Conn, Database
from fotfeste.meetings import bmlt, meeting_guide
from fotfeste.meetings.fetching import Fetched, fetch, new_session
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
_MAX_PAGES = 1000


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


class ShrinkRefused(SourceError):
    """The answer would replace a source with nothing or with less than half of it."""


@dataclass
class ImportReport:
    """What an import did, per reason: the CLI prints it, the refresher logs it in one line."""

    source: str
    imported: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    corrected: dict[str, int] = field(default_factory=dict)
    approximate: int = 0
    not_listed: dict[str, int] = field(default_factory=dict)
    types_unmapped: int = 0
    unmapped_type_values: dict[str, int] = field(default_factory=dict)
    formats_unmapped: int = 0

    @classmethod
    def of(cls, source: str, result: ParseResult) -> ImportReport:
        return cls(
            source,
            len(result.meetings),
            len(result.rejections),
            result.reasons(),
            corrected=dict(sorted(result.corrected.items())),
            approximate=result.approximate,
            not_listed=dict(sorted(result.not_listed.items(), key=lambda i: (-i[1], i[0]))),
            types_unmapped=result.types_unmapped,
            unmapped_type_values=result.unmapped_type_values,
            formats_unmapped=result.formats_unmapped,
        )

    def line(self) -> str:
        """Every count on one line (the feed refresher's log)."""
        parts = [f"imported {self.imported}", f"rejected {self.rejected}{_each(self.reasons)}"]
        parts.append(f"corrected {sum(self.corrected.values())}{_each(self.corrected)}")
        parts.append(f"approximate places {self.approximate}")
        parts.append(f"not listed {sum(self.not_listed.values())}{_each(self.not_listed)}")
        parts.append(f"types not mapped {self.types_unmapped}")
        parts.append(f"formats not mapped {self.formats_unmapped}")
        return ", ".join(parts)

    def lines(self) -> list[str]:
        """The CLI's summary: the headline, then one line per kind of count."""
        total_not_listed = sum(self.not_listed.values())
        out = [
            f"{self.source}: {self.imported} meetings imported, {self.rejected} records"
            f" rejected, {total_not_listed} not listed"
        ]
        out += [f"  {count} × {reason}" for reason, count in self.reasons.items()]
        if self.corrected:
            out.append(f"  corrected:{_each(self.corrected, ' ')}")
        if self.approximate:
            out.append(
                f"  approximate places: {self.approximate} (a city or region: listed, never a"
                " point in nearby search)"
            )
        if self.not_listed:
            out.append(f"  not listed:{_each(self.not_listed, ' ')}")
        if self.types_unmapped:
            common = sorted(self.unmapped_type_values.items(), key=lambda i: (-i[1], i[0]))[:5]
            values = ", ".join(f"{value!r} × {n}" for value, n in common)
            out.append(
                f"  types not mapped: {self.types_unmapped} records had types that fit no"
                f" Meeting Guide code, left out ({values})"
            )
        if self.formats_unmapped:
            out.append(
                f"  formats not mapped: {self.formats_unmapped} meetings have formats that no"
                " formats list explains; their types are incomplete (give --formats FILE,"
                " a GetFormats answer)"
            )
        return out


def _each(counts: dict[str, int], start: str = " (") -> str:
    if not counts:
        return ""
    listed = ", ".join(f"{n} × {reason}" for reason, n in counts.items())
    return f"{start}{listed})" if start == " (" else f"{start}{listed}"


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in {"http", "https"}


def default_source_name(location: str) -> str:
    if is_url(location):
        parts = urlsplit(location)
        return f"{parts.netloc}{parts.path}".rstrip("/")
    return Path(location).stem


_BOM = b"\xef\xbb\xbf"


def decode(body: bytes, label: str) -> Any:
    # A UTF-8 byte order mark before the JSON (PHP sites often send one) is read past, as
    # browsers do.
    try:
        return msgspec.json.decode(body.removeprefix(_BOM))
    except msgspec.DecodeError as exc:
        raise SourceError(f"{label} is not valid JSON: {exc}") from exc


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc


async def read_bmlt_root(
    client: aiohttp.ClientSession, root: str, progress: Progress = _quiet
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
    fmt: Format,
    document: Any,
    *,
    fellowship: str | None,
    timezone: str | None,
    formats: list[Any] | None = None,
) -> ParseResult:
    chosen = fellowship or DEFAULT_FELLOWSHIP[fmt]
    if fmt == "bmlt":
        return bmlt.parse(document, fellowship=chosen, default_timezone=timezone, formats=formats)
    return meeting_guide.parse(document, fellowship=chosen, default_timezone=timezone)


async def load_document(
    location: str,
    fmt: Format,
    client: aiohttp.ClientSession,
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
    formats_file: str | None = None,
    allow_shrink: bool = False,
    client: aiohttp.ClientSession | None = None,
    progress: Progress = _quiet,
) -> ImportReport:
    """Read, parse and store one source; SourceError (and no change) when it cannot be read,
    or when it would shrink to less than half (unless `allow_shrink`)."""
    name = source or default_source_name(location)
    formats = (
        bmlt.read_formats(decode(read_file(formats_file), formats_file)) if formats_file else None
    )
    own_client = client is None
    http = client or new_session()
    try:
        document, fetched = await load_document(location, fmt, http, progress=progress)
    finally:
        if own_client:
            await http.close()
    result = parse(fmt, document, fellowship=fellowship, timezone=timezone, formats=formats)
    check_usable(result)
    await replace_source(
        db,
        clock,
        name,
        fmt,
        location,
        result,
        fetched=fetched,
        progress=progress,
        allow_shrink=allow_shrink,
    )
    return ImportReport.of(name, result)


def check_usable(result: ParseResult) -> None:
    if result.rejections and not result.meetings:
        # Every record refused is a wrong format or option, not a source that emptied.
        reasons = ", ".join(f"{n} × {reason}" for reason, n in result.reasons().items())
        raise SourceError(f"no record could be imported ({reasons})")


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
    allow_shrink: bool = False,
) -> None:
    """Swap a source's meetings for the parsed ones: all in one transaction, or nothing.

    An answer with no meetings, or with fewer than half of those the source has now, is
    refused (ShrinkRefused) unless `allow_shrink`: an empty BMLT answer once wiped a source.
    """
    now = isoformat_utc(clock.now())
    rows = [_row(source, m) for m in result.meetings]

    def replace(conn: Conn) -> None:
        count = conn.execute("SELECT count(*) FROM meetings WHERE source = ?", (source,))
        have = count.fetchone()[0]
        if not allow_shrink and have and (not rows or len(rows) * 2 < have):
            raise ShrinkRefused(
                f"the answer has {len(rows)} meetings and {source} has {have} now; a source"
                " is not replaced by fewer than half of its meetings (nothing changed;"
                " the CLI's --allow-shrink replaces it anyway)"
            )
        conn.execute(
            "INSERT INTO meeting_sources (name, format, location) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET format = excluded.format,"
            " location = excluded.location",
            (source, fmt, location),
        )
        conn.execute(
            "DELETE FROM meetings_geo WHERE pk IN (SELECT pk FROM meetings WHERE source = ?)",
            (source,),
        )
        conn.execute("DELETE FROM meetings WHERE source = ?", (source,))
        for start in range(0, len(rows), _CHUNK):
            conn.executemany(_INSERT, rows[start : start + _CHUNK])
            progress("store", min(start + _CHUNK, len(rows)), len(rows))
        # Inserting in a rough spatial order (1° cells) keeps R*Tree node splits local: faster.
        conn.execute(
            "INSERT INTO meetings_geo (pk, min_lat, max_lat, min_lon, max_lon)"
            " SELECT pk, lat, lat, lon, lon FROM meetings"
            # A temporarily closed place is never a place to go: it stays out of nearby search.
            " WHERE source = ? AND lat IS NOT NULL AND lon IS NOT NULL AND temporarily_closed = 0"
            " ORDER BY CAST(lat AS INTEGER), CAST(lon AS INTEGER)",
            (source,),
        )
        conn.execute(
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

    # 100,000 records take seconds: in the writer thread, so the API keeps answering meanwhile.
    await db.write(replace, long=True)
