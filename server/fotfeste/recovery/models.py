"""The API's shapes for drug-free days: sobriety date, check-ins and progress."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from fotfeste.motivation.models import MoneySaved

Substance = Literal["alcohol", "cannabis", "stimulants", "opioids", "benzodiazepines", "other"]
SUBSTANCES: tuple[str, ...] = (
    "alcohol",
    "cannabis",
    "stimulants",
    "opioids",
    "benzodiazepines",
    "other",
)
DateText = Annotated[str, Meta(examples=["2026-03-16"], description="YYYY-MM-DD, local calendar")]
Craving = Annotated[int, Meta(ge=0, le=10, description="0 = none, 10 = the strongest")]
Mood = Annotated[int, Meta(ge=1, le=5, description="1 = very low, 5 = very good")]
Note = Annotated[str, Meta(max_length=2000)]


class SobrietyUpdate(msgspec.Struct, forbid_unknown_fields=True):
    start_date: Annotated[str, Meta(examples=["2026-01-01"], description="Not in the future")]


class CheckinInput(msgspec.Struct, forbid_unknown_fields=True):
    used: bool
    craving: Craving | None = None
    mood: Mood | None = None
    substances: Annotated[list[Substance], Meta(max_length=len(SUBSTANCES))] = []
    note: Note | None = None


class Checkin(msgspec.Struct):
    date: str
    used: bool
    craving: int | None
    mood: int | None
    substances: list[str]
    note: str | None
    updated_at: str


class Checkins(msgspec.Struct):
    checkins: list[Checkin]


class MilestoneOut(msgspec.Struct):
    days: int
    date: str


class StreakSpan(msgspec.Struct):
    years: int
    months: int
    days: int


class Day(msgspec.Struct):
    date: str
    status: Literal["used", "drug_free", "none"]


class ProgressOut(msgspec.Struct):
    today: Annotated[str, Meta(description="The current date in the account's time zone")]
    start_date: str | None
    streak_start: str | None
    current_streak_days: int
    current_streak: Annotated[StreakSpan, Meta(description="The current streak as y/m/d")]
    longest_streak_days: int
    drug_free_days_total: int
    days_used_last_30: int
    milestones_reached: list[int]
    next_milestone: MilestoneOut | None
    recent: Annotated[
        list[Day], Meta(description="The 30 days ending today, oldest first, for the day strip")
    ]
    money_saved: Annotated[
        MoneySaved | None,
        Meta(description="What the drug-free days did not cost; null until spending is set"),
    ] = None
