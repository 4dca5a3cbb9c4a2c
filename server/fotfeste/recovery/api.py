"""What other domains may call: an account's progress (e.g. for milestone reminders)."""

from __future__ import annotations

from fotfeste.clock import Clock, local_today
from fotfeste.db import Database
from fotfeste.recovery import logic, store


async def progress_for_account(
    db: Database, clock: Clock, account_id: str, timezone: str
) -> logic.Progress:
    """The account's progress today in its time zone: one query, whatever the streak's length."""
    today = local_today(clock, timezone)
    start, checkins = await store.progress_inputs(db, account_id, today)
    return logic.progress(start, today, checkins)
