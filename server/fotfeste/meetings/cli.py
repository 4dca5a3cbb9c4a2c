"""`fotfeste meetings import SOURCE --format …`: load a feed or a BMLT server by hand."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from fotfeste.clock import SystemClock
from fotfeste.db import open_database
from fotfeste.meetings.importer import FORMATS, ImportReport, import_source
from fotfeste.meetings.logic import SourceError, is_timezone
from fotfeste.settings import Settings

_BAR_WIDTH = 30
_BAR_FROM = 2000  # records: smaller sources finish before a bar would help


class ProgressBar:
    """A one-line bar on a terminal (stderr); silent when output goes to a file or pipe."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self._drawn = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or (total and total < _BAR_FROM):
            return
        if total:
            filled = _BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            line = f"\r{phase:<8} [{bar}] {done}/{total}"
        else:
            line = f"\r{phase:<8} {done} records"
        self.stream.write(line)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="meetings_command", required=True)
    importer = actions.add_parser(
        "import", help="import a Meeting Guide feed or BMLT answer (file or URL)"
    )
    importer.add_argument("source_location", metavar="SOURCE", help="a file path or http(s) URL")
    importer.add_argument("--format", required=True, choices=FORMATS, dest="source_format")
    importer.add_argument("--fellowship", help="AA, NA, Al-Anon, … (default: AA or NA by format)")
    importer.add_argument(
        "--source", help="the name under which these meetings are kept and replaced"
    )
    importer.add_argument("--timezone", help="IANA zone for records that name none")
    importer.add_argument(
        "--formats",
        metavar="FILE",
        dest="formats_file",
        help="BMLT: a saved GetFormats answer, for a GetSearchResults file without formats",
    )
    importer.add_argument(
        "--allow-shrink",
        action="store_true",
        help="replace the source even with no meetings or fewer than half of those it has",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.timezone and not is_timezone(args.timezone):
        print(f"fotfeste: unknown time zone {args.timezone!r}", file=sys.stderr)
        return 2
    if args.formats_file and args.source_format != "bmlt":
        print("fotfeste: --formats is for BMLT sources", file=sys.stderr)
        return 2
    bar = ProgressBar()
    try:
        report = asyncio.run(_import(args, settings, bar))
    except SourceError as exc:
        bar.close()
        print(f"fotfeste: nothing imported: {exc}", file=sys.stderr)
        return 1
    bar.close()
    print(_describe(report))
    return 0


async def _import(args: argparse.Namespace, settings: Settings, bar: ProgressBar) -> ImportReport:
    db = open_database(settings, readers=1)
    await db.connect()
    try:
        clock = SystemClock()
        await db.migrate(clock)
        return await import_source(
            db,
            clock,
            args.source_location,
            args.source_format,
            source=args.source,
            fellowship=args.fellowship,
            timezone=args.timezone,
            formats_file=args.formats_file,
            allow_shrink=args.allow_shrink,
            progress=bar,
        )
    finally:
        await db.close()


def _describe(report: ImportReport) -> str:
    return "\n".join(report.lines())
