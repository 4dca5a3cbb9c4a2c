"""`fotfeste resources check`: every crisis and support line with its source and check date."""

from __future__ import annotations

import argparse
from datetime import date

from fotfeste.clock import SystemClock
from fotfeste.scales.definitions import DefinitionError
from fotfeste.scales.help import CrisisResource, checked_date, load_resources
from fotfeste.settings import Settings

# Numbers change (Kirkens SOS 2015, Region Sjælland 2022, Alkohollinjen 2024): re-check yearly.
STALE_AFTER_DAYS = 365


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser(
        "check",
        help="list every line (shipped and FOTFESTE_CRISIS_RESOURCES) with its source and "
        "check date; warn about those checked more than 12 months ago",
    )


def report(resources: list[CrisisResource], today: date) -> tuple[list[str], int]:
    """The lines to print, and how many entries need checking again."""
    lines: list[str] = []
    stale = 0
    for r in resources:
        where = r.country + (f"/{r.region}" if r.region else "")
        number = r.phone or r.url or ""
        lines.append(f"{r.id:34} {where:15} {r.kind:12} {number:16} checked {r.checked or '-'}")
        lines.append(f"    source: {r.source}")
        if r.checked is None:
            stale += 1
            lines.append("    WARNING: no check date: verify the number at its source")
            continue
        age = (today - checked_date(r.checked)).days
        if age > STALE_AFTER_DAYS:
            stale += 1
            lines.append(
                f"    WARNING: checked {age} days ago (more than 12 months): "
                "verify the number at its source and update `checked`"
            )
    summary = f"{len(resources)} entries, {stale} to check again"
    return [*lines, summary], stale


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        resources = load_resources(settings.crisis_resources)
    except DefinitionError as exc:
        print(f"fotfeste resources: {exc}")
        return 1
    lines, _ = report(resources, SystemClock().now().date())
    print("\n".join(lines))
    return 0
