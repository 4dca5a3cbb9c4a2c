"""What other domains may call in scales: the instrument catalogue (provided to routes as
`Scales`) and its wording, a person's saved answers, follow-up programmes and their schedules,
and check-up outcomes for clinics."""

from __future__ import annotations

from litestar.di import NamedDependency
from litestar.params import SkipValidation

from fotfeste.scales.definitions import LOCALES, Catalogue, Instrument, Item
from fotfeste.scales.followups import (
    checkup_outcomes,
    followups_for_account,
    followups_for_accounts,
    set_programme,
)
from fotfeste.scales.logic import text_in, wording_language
from fotfeste.scales.store import responses

Scales = NamedDependency[SkipValidation[Catalogue]]

__all__ = [
    "LOCALES",
    "Catalogue",
    "Instrument",
    "Item",
    "Scales",
    "checkup_outcomes",
    "followups_for_account",
    "followups_for_accounts",
    "responses",
    "set_programme",
    "text_in",
    "wording_language",
]
