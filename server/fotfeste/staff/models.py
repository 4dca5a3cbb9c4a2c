"""The API's shapes for referral codes and the person's link to a clinic."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Programme = Literal["aftercare", "waiting-list", "clinic-16"]
CodeText = Annotated[
    str, Meta(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9 -]+$", examples=["KMR-4827"])
]

# What a linked account contributes, in the words the PWA translates (namespace "clinic").
SHARED = [
    "counted_in_programme",
    "active_in_last_30_days",
    "followups_completed",
    "checkup_score_changes",
    "meeting_attendance_regular_or_not",
]
NEVER_SHARED = [
    "identity",
    "single_answers",
    "checkins_and_notes",
    "meetings_attended",
    "location",
]


class Contacts(msgspec.Struct):
    phone: str
    hours: str
    address: str


class HomeArea(msgspec.Struct):
    name: str
    lat: float | None
    lon: float | None


class Referral(msgspec.Struct):
    """What a code stands for, before anyone accepts it."""

    code: str
    clinic: str
    programme: Programme
    contacts: Contacts
    home_area: HomeArea
    shared: Annotated[
        list[str],
        Meta(
            description="What the clinic sees: only counts and score changes across everyone "
            "in the programme, in groups of at least 5 people"
        ),
    ]
    never_shared: Annotated[list[str], Meta(description="What the clinic never sees")]
    min_group: Annotated[int, Meta(description="Groups smaller than this are never shown")]


class LinkRequest(msgspec.Struct, forbid_unknown_fields=True):
    code: CodeText
    accept: Annotated[bool, Meta(description="true links the account; false declines")]


class ClinicLink(msgspec.Struct, omit_defaults=True):
    linked: bool
    code: str | None = None
    clinic: str | None = None
    programme: Programme | None = None
    contacts: Contacts | None = None
    home_area: HomeArea | None = None
    linked_at: str | None = None
    pending_code: Annotated[
        str | None,
        Meta(description="A code typed at onboarding, not yet accepted or declined"),
    ] = None
