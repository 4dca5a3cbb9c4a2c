"""The other domains' functions that feed the outcome aggregates."""

from __future__ import annotations

from fotfeste.meetings.service import attendance_counts_of
from fotfeste.scales.service import checkup_outcomes, followups_for_accounts
from fotfeste.staff.outcomes import Sources

SOURCES = Sources(
    followups=followups_for_accounts, checkups=checkup_outcomes, attendance=attendance_counts_of
)
