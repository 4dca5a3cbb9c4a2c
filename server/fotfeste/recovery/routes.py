"""HTTP for drug-free days: sobriety date, check-ins and progress."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from litestar import Controller, get, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from fotfeste.accounts.service import requires_account
from fotfeste.clock import Clock, local_today
from fotfeste.db import Database
from fotfeste.motivation.models import MoneySaved
from fotfeste.motivation.service import money_saved_for
from fotfeste.recovery import logic, store
from fotfeste.recovery.models import (
    Checkin,
    CheckinInput,
    Checkins,
    Day,
    MilestoneOut,
    ProgressOut,
    SobrietyUpdate,
    StreakSpan,
)
from fotfeste.recovery.service import progress_for_account, save_checkin
from fotfeste.web.deps import DB, AppClock, CurrentAccount, Quota


def progress_out(progress: logic.Progress, money_saved: MoneySaved | None = None) -> ProgressOut:
    milestone = progress.next_milestone
    return ProgressOut(
        today=progress.today.isoformat(),
        start_date=None if progress.start_date is None else progress.start_date.isoformat(),
        streak_start=None if progress.streak_start is None else progress.streak_start.isoformat(),
        current_streak_days=progress.current_streak_days,
        current_streak=StreakSpan(
            progress.current_streak.years,
            progress.current_streak.months,
            progress.current_streak.days,
        ),
        longest_streak_days=progress.longest_streak_days,
        drug_free_days_total=progress.drug_free_days_total,
        days_used_last_30=progress.days_used_last_30,
        milestones_reached=progress.milestones_reached,
        next_milestone=None
        if milestone is None
        else MilestoneOut(days=milestone.days, date=milestone.date.isoformat()),
        recent=[Day(date=day.isoformat(), status=status) for day, status in progress.recent],
        money_saved=money_saved,
    )


class RecoveryController(Controller):
    path = "/api"
    tags = ["recovery"]
    guards = [requires_account]

    @put("/sobriety", operation_id="setSobrietyDate")
    async def set_sobriety(
        self, data: JSONBody[SobrietyUpdate], account: CurrentAccount, db: DB, clock: AppClock
    ) -> ProgressOut:
        """Set the day the drug-free time began (not in the future); answers with the progress."""
        today = local_today(clock, account.timezone)
        start = logic.check_start_date(logic.parse_date(data.start_date, "start_date"), today)
        await store.set_start_date(db, clock, account.id, start)
        return await _progress(db, clock, account.id, account.timezone)

    # The hottest write. For its plain case recovery/fast.py calls this function without
    # Litestar's pipeline, and refuses to start if this route gets a guard, hook or parameter
    # more (a test says which); every other request comes here the usual way.
    @put("/checkins/{day:str}", operation_id="putCheckin")
    async def put_checkin(
        self,
        day: Annotated[str, PathParameter(description="YYYY-MM-DD, the account's calendar")],
        data: JSONBody[CheckinInput],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        quota: Quota,
    ) -> Checkin:
        """Check in for a day (today or up to two years back). Repeating it replaces that day's."""
        quota.spend("checkins", account.id)
        return await save_checkin(db, clock, account, day, data)

    @get("/checkins", operation_id="listCheckins")
    async def list_checkins(
        self,
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        from_: Annotated[str | None, QueryParameter(name="from", description="YYYY-MM-DD")] = None,
        to: Annotated[str | None, QueryParameter(description="YYYY-MM-DD (default today)")] = None,
    ) -> Checkins:
        """Check-ins from `from` to `to` inclusive (default: the 30 days ending today)."""
        today = local_today(clock, account.timezone)
        # A history reaches back to a sobriety date (1900 onwards), not into the far future.
        last = logic.near(logic.parse_date(to, "to"), today, "to") if to else today
        first = (
            logic.near(logic.parse_date(from_, "from"), today, "from")
            if from_
            else last - timedelta(days=logic.RECENT_DAYS - 1)
        )
        logic.check_range(first, last)
        rows = await store.checkins_between(db, account.id, first, last)
        return Checkins(checkins=[store.checkin_from_row(row) for row in rows])

    @get("/progress", operation_id="getProgress")
    async def progress(self, account: CurrentAccount, db: DB, clock: AppClock) -> ProgressOut:
        """Streaks, totals, milestones and the last 30 days, counted by the rules in api.md;
        `money_saved` once the person has said what they used to spend."""
        return await _progress(db, clock, account.id, account.timezone)


async def _progress(db: Database, clock: Clock, account_id: str, timezone: str) -> ProgressOut:
    progress = await progress_for_account(db, clock, account_id, timezone)
    saved = await money_saved_for(db, account_id, progress.drug_free_days_total)
    return progress_out(progress, saved)
