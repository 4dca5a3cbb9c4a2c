"""The bridge to the scales domain's follow-up programmes, which waiting-list mode switches."""

from __future__ import annotations

import logging
from datetime import date

from fotfeste.db import Database
from fotfeste.errors import DomainError
from fotfeste.scales.service import set_programme

log = logging.getLogger(__name__)


async def switch_programme(db: Database, account_id: str, programme: str, start: date) -> bool:
    """Start `programme` for the account from `start`; False when the scales domain refuses it."""
    try:
        await set_programme(db, account_id, programme, start)
    except DomainError as exc:
        # The status is already saved and is what the person sees; a programme the scales
        # catalogue does not know is a deployment mismatch to log, not the person's error.
        log.warning("programme switch to %s refused: %s", programme, exc.detail)
        return False
    return True
