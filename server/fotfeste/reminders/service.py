"""What other domains may call in reminders: a person's quiet hours and the first moment after
them, and rescheduling every reminder when the profile (time zone) changes."""

from __future__ import annotations

from fotfeste.reminders.logic import QuietHours, after_quiet_hours
from fotfeste.reminders.preferences import on_profile_changed
from fotfeste.reminders.store import quiet_hours_of

__all__ = ["QuietHours", "after_quiet_hours", "on_profile_changed", "quiet_hours_of"]
