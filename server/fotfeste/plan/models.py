"""The API's shapes for the plan and the treatment status."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from litestar.params import Parameter
from msgspec import Meta

from fotfeste.plan.logic import MAX_ENTRIES_PER_SECTION, MAX_NAME, MAX_PEOPLE, MAX_TEXT

PlanSection = Literal["warning_signs", "high_risk_situations", "coping_actions", "reasons"]
TreatmentStatusName = Literal["none", "waiting", "in_treatment", "after"]
_CLIENT_ID = r"^[A-Za-z0-9_-]{8,64}$"
ClientId = Annotated[
    str,
    Meta(
        pattern=_CLIENT_ID,
        description="Made on the device (a UUID is fine), so a replayed write never duplicates",
        examples=["0b5c7a4e-2f61-4d1e-9a55-0c8f3e7d2b10"],
    ),
]
# Path parameters take Litestar's Parameter (msgspec's Meta is not applied to them).
ClientIdPath = Annotated[
    str, Parameter(pattern=_CLIENT_ID, description="Made on the device, e.g. a UUID")
]
Text = Annotated[str, Meta(min_length=1, max_length=MAX_TEXT)]
Name = Annotated[str, Meta(min_length=1, max_length=MAX_NAME)]
Phone = Annotated[str, Meta(min_length=1, max_length=32, examples=["+47 912 34 567"])]
Position = Annotated[int, Meta(ge=0, le=1000)]


class PlanEntry(msgspec.Struct):
    id: str
    text: str


class PlanPerson(msgspec.Struct):
    id: str
    name: str
    phone: Annotated[str, Meta(description="As the person typed it")]
    dial: Annotated[str, Meta(description="Digits and a leading + for a tel: link")]


class Plan(msgspec.Struct):
    warning_signs: list[PlanEntry]
    high_risk_situations: list[PlanEntry]
    coping_actions: list[PlanEntry]
    reasons: list[PlanEntry]
    people: list[PlanPerson]
    updated_at: Annotated[str | None, Meta(description="Last change; null for an empty plan")]


class PlanEntryWrite(msgspec.Struct, forbid_unknown_fields=True):
    id: ClientId
    text: Text


class PlanPersonWrite(msgspec.Struct, forbid_unknown_fields=True):
    id: ClientId
    name: Name
    phone: Phone


Entries = Annotated[list[PlanEntryWrite], Meta(max_length=MAX_ENTRIES_PER_SECTION)]


class PlanWrite(msgspec.Struct, forbid_unknown_fields=True):
    """The whole plan; lists are in the order the person wants them shown."""

    warning_signs: Entries = []
    high_risk_situations: Entries = []
    coping_actions: Entries = []
    reasons: Entries = []
    people: Annotated[list[PlanPersonWrite], Meta(max_length=MAX_PEOPLE)] = []


class SectionEntry(msgspec.Struct):
    id: str
    section: PlanSection
    position: int
    text: str
    updated_at: str


class SectionEntryWrite(msgspec.Struct, forbid_unknown_fields=True):
    section: PlanSection
    text: Text
    position: Position | None = None


class Contact(msgspec.Struct):
    id: str
    position: int
    name: str
    phone: str
    dial: str
    updated_at: str


class ContactWrite(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    phone: Phone
    position: Position | None = None


class TreatmentStatus(msgspec.Struct):
    status: TreatmentStatusName
    since: Annotated[str | None, Meta(description="Local date the status began; null if never set")]
    waiting_mode: Annotated[bool, Meta(description="True while the person waits for treatment")]
    programme_switched_to: Annotated[
        str | None,
        Meta(description="The follow-up programme this change started, if any"),
    ] = None


class TreatmentStatusWrite(msgspec.Struct, forbid_unknown_fields=True):
    status: TreatmentStatusName
    since: date | None = None
