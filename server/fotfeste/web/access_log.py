"""What the server tells its log about requests: a summary a minute, and a line for each error.

A line per request cost an eighth of a check-in's time (a log record formatted and written on the
event loop), and it kept a minute-by-minute trail of when someone used the app. The summary gives
the operator what they watch (traffic, errors and latency per route) without either. Answers of
400 and up still get a line each, since those are what someone debugging looks for, and
FOTFESTE_LOG_LEVEL=DEBUG brings back a line for every request. No line ever holds an address,
an account or a concrete path: only the method, the route template and the status.
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from litestar.types import HTTPScope

from fotfeste.web.state import shared

if TYPE_CHECKING:
    from fotfeste.workers import WorkerContext

log = logging.getLogger("fotfeste.access")

# Latency buckets (ms): the summary reports each percentile as the bucket it falls in. Counting
# into buckets costs a bisect per request; keeping every duration would cost memory and a sort.
BOUNDS_MS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


@dataclass
class RouteStats:
    requests: int = 0
    client_errors: int = 0
    server_errors: int = 0
    buckets: list[int] = field(default_factory=lambda: [0] * (len(BOUNDS_MS) + 1))

    def add(self, status: int, ms: float) -> None:
        self.requests += 1
        if status >= 500:
            self.server_errors += 1
        elif status >= 400:
            self.client_errors += 1
        self.buckets[bisect.bisect_left(BOUNDS_MS, ms)] += 1

    def percentile(self, fraction: float) -> str:
        """The bucket holding this fraction of requests, as "≤ 5 ms" (or "> 10000 ms")."""
        rank = max(1, round(fraction * self.requests))
        seen = 0
        index = 0
        while index < len(BOUNDS_MS):
            seen += self.buckets[index]
            if seen >= rank:
                return f"≤ {BOUNDS_MS[index]} ms"
            index += 1
        return f"> {BOUNDS_MS[-1]} ms"


class AccessStats:
    """Requests per (method, route template) since the last summary."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], RouteStats] = {}
        self.since = time.monotonic()

    def add(self, method: str, route: str, status: int, ms: float) -> None:
        stats = self.routes.get((method, route))
        if stats is None:
            stats = self.routes[(method, route)] = RouteStats()
        stats.add(status, ms)

    def summary(self) -> list[str]:
        """The lines of one summary, busiest route first; starts counting afresh."""
        routes, seconds = self.routes, time.monotonic() - self.since
        self.routes, self.since = {}, time.monotonic()
        if not routes:
            return []
        total = sum(stats.requests for stats in routes.values())
        lines = [f"{total} requests in the last {seconds:.0f} s"]
        for (method, route), stats in sorted(routes.items(), key=lambda item: -item[1].requests):
            lines.append(
                f"{method} {route}: {stats.requests}"
                f" (4xx {stats.client_errors}, 5xx {stats.server_errors}),"
                f" p50 {stats.percentile(0.5)}, p99 {stats.percentile(0.99)}"
            )
        return lines

    def log_summary(self) -> None:
        """One line per route, each with the log's own timestamp: easy to grep."""
        for line in self.summary():
            log.info("%s", line)


def note(stats: AccessStats, scope: HTTPScope, status: int, started: float) -> None:
    """Count one answered request (`started` from time.perf_counter), and log it if it failed."""
    ms = (time.perf_counter() - started) * 1000
    route = scope.get("path_template") or "(unrouted)"
    stats.add(scope["method"], route, status, ms)
    level = logging.INFO if status >= 400 else logging.DEBUG
    if log.isEnabledFor(level):
        log.log(level, "%s %s %d %.1fms", scope["method"], route, status, ms)


async def log_access_summaries(context: WorkerContext) -> None:
    """A worker: the summary every FOTFESTE_ACCESS_SUMMARY_SECONDS, and a last one at shutdown."""
    stats = shared(context.state).access_stats
    try:
        while True:
            await asyncio.sleep(context.settings.access_summary_seconds)
            stats.log_summary()
    finally:
        stats.log_summary()
