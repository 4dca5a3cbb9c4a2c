"""What other domains may call: the money a person's drug-free days did not cost, and dropping
the supporters' news of a person whose account goes."""

from __future__ import annotations

from fotfeste.db import Database
from fotfeste.motivation import logic, store
from fotfeste.motivation.models import MoneySaved
from fotfeste.motivation.supporters import drop_news_of

__all__ = ["drop_news_of", "money_saved_for"]


async def money_saved_for(db: Database, account_id: str, drug_free_days: int) -> MoneySaved | None:
    """None when the person has not said what they used to spend."""
    row = await store.spending(db, account_id)
    if row is None:
        return None
    amount = logic.money_saved(row["amount_minor"], row["per"], drug_free_days)
    return MoneySaved(amount=amount, currency=row["currency"])
