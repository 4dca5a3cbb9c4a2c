"""The API's shapes for reminders."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

KindName = Literal["checkin", "followup", "meeting", "milestone"]
LocalTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["20:00"])]
Weekday = Annotated[int, Meta(ge=0, le=6, description="0 = Sunday … 6 = Saturday")]


class ReminderUpdate(msgspec.Struct, forbid_unknown_fields=True):
    enabled: bool
    time: LocalTime | UnsetType = UNSET
    days: Annotated[list[Weekday], Meta(min_length=1, max_length=7)] | UnsetType = UNSET
    minutes_before: Annotated[int, Meta(ge=5, le=720)] | UnsetType = UNSET


class Reminder(msgspec.Struct):
    kind: KindName
    enabled: bool
    # Every kind is sent since all the domains are here; the field stays for clients that read it.
    available: Annotated[bool, Meta(description="Always true: this server sends every kind")]
    time: Annotated[str, Meta(description="Local time in the account's zone (daily kinds)")]
    days: list[int]
    minutes_before: Annotated[int, Meta(description="For meeting reminders")]
    next_fire_at: Annotated[str | None, Meta(description="When it next fires (UTC)")]


class QuietHours(msgspec.Struct, forbid_unknown_fields=True):
    start: LocalTime
    end: LocalTime


class QuietHoursUpdate(msgspec.Struct, forbid_unknown_fields=True):
    enabled: bool
    start: LocalTime | UnsetType = UNSET
    end: LocalTime | UnsetType = UNSET


class Reminders(msgspec.Struct):
    reminders: list[Reminder]
    quiet_hours: QuietHours | None
    timezone: str
