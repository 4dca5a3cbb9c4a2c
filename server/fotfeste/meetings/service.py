"""What other domains may call in meetings: a person's favourite meetings and when one next
starts, and the attendance they logged (one person's rows, or counts for many)."""

from __future__ import annotations

from fotfeste.meetings.attendance import attendance_counts_of, attendance_rows
from fotfeste.meetings.logic import next_start
from fotfeste.meetings.store import FavouriteMeeting, favourite_meetings_for_account

__all__ = [
    "FavouriteMeeting",
    "attendance_counts_of",
    "attendance_rows",
    "favourite_meetings_for_account",
    "next_start",
]
