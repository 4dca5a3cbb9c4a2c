"""What other domains may call: the money a person's drug-free days did not cost."""

from __future__ import annotations

from fotfeste.db import Database
from fotfeste.motivation import logic, store
from fotfeste.motivation.models import MoneySaved


async def money_saved_for(db: Database, account_id: str, drug_free_days: int) -> MoneySaved | None:
    """None when the person has not said what they used to spend."""
    row = await store.spending(db, account_id)
    if row is None:
        return None
    amount = logic.money_saved(row["amount_minor"], row["per"], drug_free_days)
    return MoneySaved(amount=amount, currency=row["currency"])
