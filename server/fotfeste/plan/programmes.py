"""The bridge to the scales domain's follow-up programmes, which waiting-list mode switches."""

from __future__ import annotations

import importlib
import logging
from datetime import date

from fotfeste.db import Database

log = logging.getLogger(__name__)

# The scales domain owns programmes and exposes set_programme(db, account_id, programme,
# start_date). It is built in parallel; until it is installed the status is still stored and the
# switch is only logged, so waiting-list mode works on its own and picks the programme up later.
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
    await module.set_programme(db, account_id, programme, start)
    return True
