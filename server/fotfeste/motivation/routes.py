"""HTTP for motivation: what I used to spend, and my own patterns."""

from __future__ import annotations

from datetime import date

from litestar import Controller, delete, get, put
from litestar.exceptions import NotFoundException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from fotfeste.accounts.service import requires_account
from fotfeste.clock import local_today
from fotfeste.meetings.service import attendance_rows
from fotfeste.motivation import logic, store
from fotfeste.motivation.models import Insights, Spending, SpendingIn
from fotfeste.recovery.service import checkin_facts
from fotfeste.web.deps import DB, AppClock, CurrentAccount


class SpendingController(Controller):
    path = "/api/me/spending"
    tags = ["motivation"]
    guards = [requires_account]

    @get("/", operation_id="getSpending")
    async def get_spending(self, account: CurrentAccount, db: DB) -> Spending:
        """What I used to spend (404 until it is set)."""
        row = await store.spending(db, account.id)
        if row is None:
            raise NotFoundException("No spending is set")
        return Spending(amount=row["amount_minor"] / 100, per=row["per"], currency=row["currency"])

    @put("/", operation_id="putSpending")
    async def put_spending(
        self, data: JSONBody[SpendingIn], account: CurrentAccount, db: DB, clock: AppClock
    ) -> Spending:
        """Set what I used to spend per day, week or month; the currency defaults from my
        country (SEK, NOK, DKK; EUR elsewhere). Progress then shows `money_saved`."""
        currency = data.currency or logic.default_currency(account.country)
        amount_minor = logic.to_minor(data.amount)
        await store.put_spending(db, clock, account.id, amount_minor, data.per, currency)
        return Spending(amount=amount_minor / 100, per=data.per, currency=currency)

    @delete("/", status_code=HTTP_204_NO_CONTENT, operation_id="deleteSpending")
    async def delete_spending(self, account: CurrentAccount, db: DB) -> None:
        """Forget what I used to spend."""
        await store.delete_spending(db, account.id)


class InsightsController(Controller):
    path = "/api/insights"
    tags = ["motivation"]
    guards = [requires_account]

    @get("/", operation_id="getInsights")
    async def insights(self, account: CurrentAccount, db: DB, clock: AppClock) -> Insights:
        """My own patterns from my check-ins, once the first is four weeks old: craving by
        weekday and by time of day, mood by week, and weeks with and without a meeting."""
        today = local_today(clock, account.timezone)
        since = today - logic.LOOK_BACK
        facts, first = await checkin_facts(db, account.id, since, today)
        attended = await attendance_rows(db, account.id, since, today)
        return logic.insights(
            [logic.CheckinFact(*fact) for fact in facts],
            [date.fromisoformat(r["date"]) for r in attended],
            today=today,
            timezone=account.timezone,
            first_checkin=first,
        )
