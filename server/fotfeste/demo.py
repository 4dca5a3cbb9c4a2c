"""Demo data loaded at start when FOTFESTE_DEMO is on (the default for `make run`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.meetings.demo import load_demo_meetings

log = logging.getLogger(__name__)

DemoLoader = Callable[[Database, Clock], Awaitable[int]]

# Each domain with demo data adds its loader here; loaders must be idempotent.
LOADERS: list[tuple[str, DemoLoader]] = [("meetings", load_demo_meetings)]


async def load_demo(db: Database, clock: Clock) -> None:
    for name, loader in LOADERS:
        count = await loader(db, clock)
        log.info("demo data: %s: %d rows", name, count)
