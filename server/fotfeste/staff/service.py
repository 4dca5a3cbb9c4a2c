"""What other domains may call in staff: the clinic an account is linked to (its contact
details and programme), and ending that link."""

from __future__ import annotations

from fotfeste.staff.store import link_of, unlink

__all__ = ["link_of", "unlink"]
