"""What other domains may call in recovery: an account's progress (streak, milestones) today, its
check-ins as facts for patterns, and saving a check-in (the route and its fast path share it)."""

from __future__ import annotations

from datetime import date, datetime

from fotfeste.accounts.models import Account
from fotfeste.clock import Clock, local_today
from fotfeste.db import Database
from fotfeste.recovery import logic, store
from fotfeste.recovery.models import Checkin, CheckinInput


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


async def checkin_facts(
    db: Database, account_id: str, first: date, last: date
) -> tuple[list[tuple[date, bool, int | None, int | None, datetime]], date | None]:
    """For the person's own patterns (motivation): each check-in in [first, last] with when it
    was made, and the date of the account's first check-in ever."""
    rows = await db.fetchall(
        "SELECT date, used, craving, mood, created_at,"
        " (SELECT min(date) FROM checkins WHERE account_id = :a) AS first"
        " FROM checkins WHERE account_id = :a AND date BETWEEN :first AND :last ORDER BY date",
        {"a": account_id, "first": first.isoformat(), "last": last.isoformat()},
    )
    if not rows:
        first_row = await db.fetchone(
            "SELECT min(date) FROM checkins WHERE account_id = ?", (account_id,)
        )
        earliest = first_row[0] if first_row else None
        return [], None if earliest is None else date.fromisoformat(earliest)
    facts = [
        (
            date.fromisoformat(r["date"]),
            bool(r["used"]),
            r["craving"],
            r["mood"],
            datetime.fromisoformat(r["created_at"]),
        )
        for r in rows
    ]
    return facts, date.fromisoformat(rows[0]["first"])
