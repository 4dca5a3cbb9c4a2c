"""HTTP for reminders: list them, set one kind, set quiet hours."""

from __future__ import annotations

from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from fotfeste.accounts.models import Account
from fotfeste.accounts.service import requires_account
from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.errors import InvalidInput
from fotfeste.reminders import preferences
from fotfeste.reminders.kinds import KINDS
from fotfeste.reminders.models import QuietHoursUpdate, Reminder, Reminders, ReminderUpdate
from fotfeste.web.deps import DB, AppClock, CurrentAccount


async def _view(db: Database, clock: Clock, account: Account) -> Reminders:
    return await preferences.reminders_view(db, clock, account.id, account.timezone)


class RemindersController(Controller):
    path = "/api/reminders"
    tags = ["reminders"]
    guards = [requires_account]

    @get("/", operation_id="listReminders")
    async def list(self, account: CurrentAccount, db: DB, clock: AppClock) -> Reminders:
        """Every kind of reminder with its settings (defaults if never set) and quiet hours."""
        return await _view(db, clock, account)

    @put("/quiet-hours", operation_id="setQuietHours")
    async def quiet_hours(
        self, data: JSONBody[QuietHoursUpdate], account: CurrentAccount, db: DB, clock: AppClock
    ) -> Reminders:
        """No reminder shows between start and end (local time); reminders wait until the end."""
        quiet: tuple[str, str] | None = None
        if data.enabled:
            if data.start is UNSET or data.end is UNSET:
                raise InvalidInput("Quiet hours need a start and an end", field="start")
            if data.start == data.end:
                raise InvalidInput("Quiet hours must start and end at different times", field="end")
            quiet = (data.start, data.end)
        await preferences.set_quiet_hours(db, clock, account, quiet)
        return await _view(db, clock, account)

    @put("/{kind:str}", operation_id="setReminder")
    async def set(
        self,
        kind: FromPath[str],
        data: JSONBody[ReminderUpdate],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
    ) -> Reminder:
        """Turn a kind of reminder on or off and set its local time and days; the reminder."""
        spec = KINDS.get(kind)
        if spec is None:
            raise InvalidInput(
                f"Unknown reminder kind {kind!r}; use one of {', '.join(KINDS)}", field="kind"
            )
        await preferences.set_reminder(db, clock, account, spec, data)
        view = await _view(db, clock, account)
        return next(r for r in view.reminders if r.kind == kind)
