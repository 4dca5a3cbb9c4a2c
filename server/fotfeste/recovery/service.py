"""What other domains may call in recovery: an account's progress (streak, milestones) today, its
check-ins as facts for patterns, and saving a check-in (the route and its fast path share it)."""

from __future__ import annotations

from fotfeste.accounts.models import Account
from fotfeste.clock import Clock, local_today
from fotfeste.db import Database
from fotfeste.recovery import logic, store
from fotfeste.recovery.models import Checkin, CheckinInput
from fotfeste.recovery.store import checkin_facts

__all__ = ["checkin_facts", "progress_for_account", "save_checkin"]


async def progress_for_account(
    db: Database, clock: Clock, account_id: str, timezone: str
) -> logic.Progress:
    """The account's progress today in its time zone: one query, whatever the streak's length."""
    today = local_today(clock, timezone)
    start, checkins = await store.progress_inputs(db, account_id, today)
    return logic.progress(start, today, checkins)


async def save_checkin(
    db: Database, clock: Clock, account: Account, day: str, data: CheckinInput
) -> Checkin:
    """PUT /api/checkins/{day}, for the route and for its fast path (recovery/fast.py) alike."""
    today = local_today(clock, account.timezone)
    checkin_day = logic.check_checkin_date(logic.parse_date(day, "date"), today)
    return await store.put_checkin(
        db,
        clock,
        account.id,
        checkin_day,
        used=data.used,
        craving=data.craving,
        mood=data.mood,
        substances=logic.normalise_substances(data.used, data.substances),
        note=data.note,
    )
