"""What other domains may call in reminders: a person's quiet hours and when a notification may
fire around them, and rescheduling every reminder when the profile (time zone) changes."""

from __future__ import annotations

from fotfeste.reminders.logic import QuietHours, fires_at, quiet_hours
from fotfeste.reminders.preferences import on_profile_changed
from fotfeste.reminders.store import quiet_hours_of

__all__ = ["QuietHours", "fires_at", "on_profile_changed", "quiet_hours", "quiet_hours_of"]
