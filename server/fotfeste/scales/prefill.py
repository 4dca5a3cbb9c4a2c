"""Prefilled answers from other domains: days with use in the last 30 days, from the check-ins."""

from __future__ import annotations

from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.recovery.service import progress_for_account


async def days_used_last_30(
    db: Database, clock: Clock, account_id: str, timezone: str
) -> int | None:
    """Use days among the 30 days ending today, or None when none of those days has a check-in.

    Counted by the recovery domain's rules (api.md, "Progress"). Without any check-in in the
    window there is nothing to count from, so the person types the number instead of seeing 0.
    """
    progress = await progress_for_account(db, clock, account_id, timezone)
    if all(status == "none" for _, status in progress.recent):
        return None
    return progress.days_used_last_30
