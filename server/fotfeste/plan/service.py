"""What other domains may call in plan: a person's treatment status (waiting-list mode)."""

from __future__ import annotations

from fotfeste.plan.store import treatment_status

__all__ = ["treatment_status"]
