"""What other domains may call in reminders: when news may reach a person around their quiet
hours, and rescheduling every reminder when the profile (time zone) changes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fotfeste.db import Database
from fotfeste.reminders.logic import fires_at, quiet_hours
from fotfeste.reminders.preferences import on_profile_changed
from fotfeste.reminders.store import quiet_hours_of

__all__ = ["after_quiet_hours", "on_profile_changed"]


async def after_quiet_hours(db: Database, account_id: str, zone: str, now: datetime) -> datetime:
    """When news made now may reach this person's phone: now, or when their quiet hours end."""
    quiet = quiet_hours(*(await quiet_hours_of(db, account_id) or (None, None)))
    return fires_at(now, ZoneInfo(zone), quiet)
