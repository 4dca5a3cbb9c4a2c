"""Service endpoints that belong to no domain: health."""

from __future__ import annotations

import msgspec
from litestar import get

from fotfeste import __version__
from fotfeste.clock import isoformat_utc
from fotfeste.web.deps import DB, AppClock
from fotfeste.web.throttle import public


class Health(msgspec.Struct):
    status: str
    version: str
    database: str
    time: str


@get("/api/health", operation_id="health", tags=["service"], guards=[public])
async def health(db: DB, clock: AppClock) -> Health:
    """Liveness and database reachability."""
    await db.fetchval("SELECT 1")
    return Health(status="ok", version=__version__, database="ok", time=isoformat_utc(clock.now()))
