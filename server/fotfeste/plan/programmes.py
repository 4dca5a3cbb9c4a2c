"""The bridge to the scales domain's follow-up programmes, which waiting-list mode switches."""

from __future__ import annotations

import importlib
import logging
from datetime import date

from fotfeste.db import Database
from fotfeste.errors import DomainError

log = logging.getLogger(__name__)

# The scales domain owns programmes and exposes set_programme(db, account_id, programme,
# start_date). It is built in parallel: where it is not installed the status is still stored
# and the switch is only logged, so waiting-list mode works on its own.
_SCALES_MODULE = "fotfeste.scales.followups"


async def switch_programme(db: Database, account_id: str, programme: str, start: date) -> bool:
    """Start `programme` for the account from `start`; False when the scales domain is absent."""
    try:
        module = importlib.import_module(_SCALES_MODULE)
    except ModuleNotFoundError:
        log.info(
            "programme switch to %s not applied: the scales domain is not installed", programme
        )
        return False
    try:
        await module.set_programme(db, account_id, programme, start)
    except DomainError as exc:
        # The status is already saved and is what the person sees; a programme the scales
        # catalogue does not know is a deployment mismatch to log, not the person's error.
        log.warning("programme switch to %s refused: %s", programme, exc.detail)
        return False
    return True
