"""SQLite next to PostgreSQL, from one run (issue 19's figures).

    .venv/bin/python -m bench.engines [--rounds 4] [--checkins 1000] [--notifications 10000]

Throughput: check-ins (64 clients, the PWA's fast path) and the mixed day of bench/loadtest.py
(bench/processes.py's round) on SQLite with 1 process, PostgreSQL with 1 and PostgreSQL with 2
app processes (`serve --workers 2`), the order rotating round by round so a noisy neighbour hits
all alike; medians, and each PostgreSQL figure's ratio to SQLite's in the same round.

Then the reliability figures, from the scenarios the reliability tests assert (tests/reliability):
PostgreSQL restarted under load, kill -9 of one of two app processes under `--checkins`
concurrent check-ins, and a push fan-out of `--notifications` with two senders (with and without
one killed -9), on both engines where both apply.

PostgreSQL is a throwaway cluster with fsync, synchronous_commit and full_page_writes on (its
defaults), so a commit is as durable as SQLite's. Takes a quiet machine and about 10 minutes at
the defaults; `--rounds 1 --checkins 200 --notifications 1000` checks that it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from tests.reliability.pg_control import ControlledCluster
from tests.reliability.test_pg_restart import restart_under_load
from tests.reliability.test_two_processes_kill9 import kill9_one_of_two
from tests.reliability.test_two_processes_push import fan_out_with_two_senders
from tests.server import ServerProcess

from bench.foundation import sign_up
from bench.harness import Result, Server, fotfeste_server, run
from bench.processes import CLIENTS, _round

SETUPS = (
    "SQLite 1 process",
    "PostgreSQL 1 process",
    "PostgreSQL 2 processes",
    # Whether batching writes per process pays on PostgreSQL: each write its own transaction.
    "PostgreSQL 1, no group commit",
)


@contextlib.contextmanager
def _postgresql_server(url: str, *serve_args: str, **env: str) -> Iterator[Server]:
    """`fotfeste serve` on a PostgreSQL database, as harness.fotfeste_server runs SQLite's."""
    with tempfile.TemporaryDirectory(prefix="fotfeste-bench-") as tmp:
        server = ServerProcess(
            Path(tmp) / "data",
            env={"FOTFESTE_LOG_LEVEL": "INFO", "FOTFESTE_DEMO": "1", **env},
            args=serve_args,
            database={"FOTFESTE_DATABASE_URL": url},
        )
        try:
            yield server.start(timeout=120)
        finally:
            server.stop()


def _rate(result: Result) -> float:
    return result.requests / result.seconds


async def throughput(cluster: ControlledCluster, rounds: int) -> None:
    with (
        fotfeste_server(FOTFESTE_DEMO="1") as sqlite,
        _postgresql_server(cluster.create_database("one")) as one,
        _postgresql_server(cluster.create_database("two"), "--workers", "2") as two,
        _postgresql_server(cluster.create_database("single"), FOTFESTE_GROUP_COMMIT="0") as single,
    ):
        servers = dict(zip(SETUPS, (sqlite, one, two, single), strict=True))
        tokens = {name: await sign_up(server.url, CLIENTS) for name, server in servers.items()}
        results: dict[tuple[str, str], list[Result]] = {}
        for n in range(rounds):
            order = SETUPS[n % len(SETUPS) :] + SETUPS[: n % len(SETUPS)]  # each first in turn
            for name in order:
                checkins, mixed = await _round(servers[name], tokens[name], n * 1_000_000)
                results.setdefault(("checkins", name), []).append(checkins)
                results.setdefault(("mixed", name), []).append(mixed)
    print(f"\n{'':<9}{'setup':<31}{'req/s':>8}{'p99 ms':>9}{'errors':>8}  ÷ SQLite (per round)")
    for kind in ("checkins", "mixed"):
        base = results[(kind, SETUPS[0])]
        for name in SETUPS:
            mine = results[(kind, name)]
            rates = [_rate(r) for r in mine]
            p99 = statistics.median(r.percentile(99) for r in mine)
            errors = sum(n for r in mine for s, n in r.statuses.items() if s >= 400)
            ratios = [_rate(m) / _rate(b) for m, b in zip(mine, base, strict=True)]
            ratio = "" if name == SETUPS[0] else f"{statistics.median(ratios):.2f}"
            each = ", ".join(f"{r:.2f}" for r in ratios) if ratio else ""
            print(
                f"{kind:<9}{name:<31}{statistics.median(rates):>8.0f}{p99:>9.1f}{errors:>8}"
                f"  {ratio} {f'({each})' if each else ''}"
            )


def _line(what: str, figures: dict[str, Any]) -> None:
    shown = ", ".join(f"{key} {value}" for key, value in figures.items())
    print(f"{what:<44} {shown}", flush=True)


def reliability(cluster: ControlledCluster, work: Path, checkins: int, notifications: int) -> None:
    print("\nreliability (0 lost is the requirement; resets were never acknowledged)")
    outcome = restart_under_load(cluster, work / "restart")
    _line("PostgreSQL restarted (4 s down) under load", outcome.figures())

    def database(name: str, engine: str) -> dict[str, str] | None:
        """None: a SQLite file in the data directory; else a new PostgreSQL database."""
        if engine == "SQLite":
            return None
        return {"FOTFESTE_DATABASE_URL": cluster.create_database(name)}

    for name in ("SQLite", "PostgreSQL"):
        figures = kill9_one_of_two(
            work / f"kill9-{name}", database("kill9", name), concurrent=checkins
        )
        del figures["statuses"]
        _line(f"kill -9 of 1 of 2 processes, {name}", figures)
    for name in ("SQLite", "PostgreSQL"):
        for kill in (False, True):
            figures = fan_out_with_two_senders(
                work / f"push-{name}-{kill}",
                kill=kill,
                count=notifications,
                database=database(f"push_{int(kill)}", name),
            )
            _line(f"fan-out, 2 senders{', 1 killed -9' if kill else ''}, {name}", figures)


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--checkins", type=int, default=1000, help="in flight at the kill -9")
    parser.add_argument("--notifications", type=int, default=10_000, help="push fan-out size")
    parser.add_argument("--skip-reliability", action="store_true")
    args = parser.parse_args(argv)
    cluster = ControlledCluster(durable=True).start()
    try:
        with psycopg.connect(cluster.url) as conn:
            settings = conn.execute(
                "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings"
                " WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')"
            ).fetchone()
            server_version = conn.execute("SHOW server_version").fetchone()
        version = server_version[0] if server_version else "?"
        print(f"PostgreSQL {version}: {settings[0] if settings else '?'}")
        await throughput(cluster, args.rounds)
        if not args.skip_reliability:
            with tempfile.TemporaryDirectory(prefix="fotfeste-engines-") as tmp:
                # In a thread: the scenarios run event loops of their own.
                await asyncio.to_thread(
                    reliability, cluster, Path(tmp), args.checkins, args.notifications
                )
    finally:
        cluster.stop()


if __name__ == "__main__":
    run(lambda: main(sys.argv[1:]))
