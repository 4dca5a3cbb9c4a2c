"""Prefilled answers from other domains: days with use in the last 30 days, from the check-ins."""

from __future__ import annotations

from fotfeste.clock import Clock
from fotfeste.db import Database


async def days_used_last_30(
    db: Database, clock: Clock, account_id: str, timezone: str
) -> int | None:
    """Use days among the 30 days ending today, or None when there are no check-ins to count.

    The check-ins belong to the recovery domain (issue 3), which is not on main yet. Until it
    exposes a function for this, nothing is prefilled and the person types the number.
    """
    del db, clock, account_id, timezone
    return None
