"""API shapes for motivation: spending, money saved and the person's own patterns."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Per = Literal["day", "week", "month"]
Currency = Annotated[str, Meta(pattern=r"^[A-Z]{3}$", examples=["SEK"])]
Average = Annotated[float | None, Meta(description="Average, or null with no check-in to count")]


class SpendingIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: Annotated[float, Meta(ge=0, le=1_000_000, description="What I used to spend")]
    per: Per
    currency: Currency | None = None


class Spending(msgspec.Struct):
    amount: float
    per: Per
    currency: str


class MoneySaved(msgspec.Struct):
    amount: Annotated[float, Meta(description="Over the drug-free days since the start")]
    currency: str


class WeekdayCraving(msgspec.Struct):
    weekday: Annotated[int, Meta(ge=0, le=6, description="0 = Sunday … 6 = Saturday")]
    average: Average
    checkins: int


class TimeOfDayCraving(msgspec.Struct):
    part: Literal["morning", "afternoon", "evening", "night"]
    average: Average
    checkins: int


class WeekMood(msgspec.Struct):
    week_start: Annotated[str, Meta(description="The Monday that starts the week")]
    average: Average
    checkins: int


class MeetingWeeks(msgspec.Struct):
    weeks: int
    days_with_use_per_week: Average
    average_craving: Average


class Insights(msgspec.Struct):
    enough_data: Annotated[
        bool, Meta(description="True once the first check-in is at least four weeks old")
    ]
    first_checkin: str | None
    since: Annotated[str, Meta(description="The first day the patterns look at")]
    craving_by_weekday: list[WeekdayCraving]
    craving_by_time_of_day: list[TimeOfDayCraving]
    mood_by_week: list[WeekMood]
    weeks_with_meeting: MeetingWeeks
    weeks_without_meeting: MeetingWeeks
    finding: Annotated[
        Literal["fewer_use_days_with_meetings", "more_use_days_with_meetings", "same"] | None,
        Meta(description="Days with use in weeks with and without a meeting, compared"),
    ]


Share = Literal["milestones", "streak"]
EncouragementKind = Literal["proud", "thinking_of_you", "here_for_you"]


class InvitationIn(msgspec.Struct, forbid_unknown_fields=True):
    shares: Annotated[
        list[Share],
        Meta(
            min_length=1,
            max_length=2,
            description='["milestones"] (the default) or ["milestones", "streak"]',
        ),
    ] = msgspec.field(default_factory=lambda: ["milestones"])


class Invitation(msgspec.Struct):
    code: Annotated[str, Meta(description="Eight letters and digits, easy to read aloud")]
    expires_at: str
    shares: list[Share]


class AcceptIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=32)]


class Accepted(msgspec.Struct):
    id: str
    shares: list[Share]


class NextMilestoneShared(msgspec.Struct):
    days: int
    date: str


class PersonShared(msgspec.Struct, omit_defaults=True):
    """What a supporter sees of one person: only what `shares` allows, and nothing once ended."""

    id: str
    shares: list[Share]
    ended: bool
    milestones_reached: list[int] | msgspec.UnsetType = msgspec.UNSET
    next_milestone: NextMilestoneShared | msgspec.UnsetType | None = msgspec.UNSET
    current_streak_days: int | msgspec.UnsetType = msgspec.UNSET


class People(msgspec.Struct):
    people: list[PersonShared]


class SupporterOut(msgspec.Struct):
    id: str
    shares: list[Share]
    since: str
    ended: bool


class Supporters(msgspec.Struct):
    supporters: list[SupporterOut]


class EncouragementIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: EncouragementKind


class EncouragementOut(msgspec.Struct):
    kind: EncouragementKind
    at: str


class Encouragements(msgspec.Struct):
    encouragements: list[EncouragementOut]
