"""The other domains' functions that feed the outcome aggregates."""

from __future__ import annotations

from fotfeste.staff.outcomes import NO_SOURCES, Sources

# The scales domain (follow-ups, check-up answers) and the meetings domain (attendance) bind
# here once they are merged; until then the outcome pages say "not yet available".
SOURCES: Sources = NO_SOURCES
