"""The other domains' functions that feed the outcome aggregates."""

from __future__ import annotations

from fotfeste.scales.followups import checkup_outcomes, followups_for_account
from fotfeste.staff.outcomes import Sources

# Meetings (attendance) binds here once merged; until then its rows say "not yet available".
SOURCES = Sources(followups=followups_for_account, checkups=checkup_outcomes, attendance=None)
