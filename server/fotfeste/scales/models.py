"""The API's shapes for scales, responses, programmes, follow-ups and crisis resources."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from fotfeste.scales.help import LocalResource, Region
from fotfeste.scales.schedule import Followup

InstrumentId = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9-]{1,30}$", examples=["checkup"])]
ClientId = Annotated[str, Meta(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
# Values are checked by the instrument's rules, not coerced here: "1" or true is not a score.
Answers = Annotated[
    dict[Annotated[str, Meta(max_length=3)], Any],
    Meta(max_length=60, description='Item key ("1" … "n") -> the item\'s score (a whole number)'),
]
CutoffSet = Literal["men", "women"]


class OptionOut(msgspec.Struct):
    score: int
    label: str


class ItemOut(msgspec.Struct):
    key: str
    text: str
    options: list[OptionOut] | None
    min: int | None
    max: int | None
    min_label: str | None
    max_label: str | None
    hint: str | None
    measure: str | None
    prefill: Annotated[int | None, Meta(description="A suggested answer (editable)")]


class BandOut(msgspec.Struct):
    id: str
    min: int
    max: int
    label: str
    explanation: str


class CutoffOut(msgspec.Struct):
    set: str
    min: int
    country: str | None


class SafetyRuleOut(msgspec.Struct):
    """An answer of at least `min` to `item` calls for help at once (shown even offline)."""

    item: str
    min: int


class LicenceOut(msgspec.Struct):
    name: str
    url: str
    summary: str
    attribution: str


class TranslationOut(msgspec.Struct):
    """The version and source of the wording shown; `credit` is in the wording's language."""

    credit: Annotated[str, Meta(examples=["Svensk översättning: Mats Adler, Pfizer AB 2005"])]
    version: str
    source: str
    url: str | None


class InstrumentOut(msgspec.Struct):
    id: str
    version: str
    title: str
    name: str
    language: Annotated[
        str, Meta(description="Language of the questions (English where untranslated)")
    ]
    translation_note: Annotated[
        str | None,
        Meta(description="Why the questions are in English, in the account's language"),
    ]
    translation: Annotated[
        TranslationOut | None, Meta(description="Where a translated wording comes from")
    ]
    instructions: str | None
    recall_days: int
    items: list[ItemOut]
    scoring: str
    max_score: int | None
    bands: list[BandOut]
    cutoff: Annotated[CutoffOut | None, Meta(description="The chosen cut-off set, if any")]
    safety: list[SafetyRuleOut]
    source: str
    source_url: str | None
    licence: LicenceOut
    short_form: str | None
    wording: Annotated[
        Literal["published", "ours"],
        Meta(description="published: a questionnaire's own wording; ours: Fotfeste's questions"),
    ] = "published"


class Instruments(msgspec.Struct):
    instruments: list[InstrumentOut]
    cutoff_set: CutoffSet | None


class ResponseIn(msgspec.Struct, forbid_unknown_fields=True):
    instrument: InstrumentId
    answers: Answers
    client_id: Annotated[
        ClientId | None, Meta(description="Made by the client: a retry never stores twice")
    ] = None


class CutoffResultOut(msgspec.Struct):
    set: str
    min: int
    country: str | None
    above: bool
    text: str


class ResponseOut(msgspec.Struct):
    id: str
    instrument: str
    version: str
    answered_at: str
    answered_on: str
    answers: dict[str, int]
    score: int | None
    max_score: int | None
    band: Annotated[str | None, Meta(description="The published band's id; null if none")]
    band_label: str | None
    explanation: str | None
    cutoff: CutoffResultOut | None
    measures: dict[str, int]
    safety: bool
    resources: Annotated[
        list[LocalResource], Meta(description="Crisis resources, given when safety is true")
    ]


class Responses(msgspec.Struct):
    responses: list[ResponseOut]


class FollowupOut(msgspec.Struct):
    id: str
    key: str
    label: str
    due_date: str
    window_start: str
    window_end: str
    instruments: list[str]
    offered: list[str]
    status: Literal["due", "done", "upcoming", "missed"]
    completed_on: str | None

    @classmethod
    def of(cls, f: Followup) -> FollowupOut:
        return cls(
            id=f.id,
            key=f.key,
            label=f.label,
            due_date=f.due_date.isoformat(),
            window_start=f.window_start.isoformat(),
            window_end=f.window_end.isoformat(),
            instruments=f.instruments,
            offered=f.offered,
            status=f.status,
            completed_on=None if f.completed_on is None else f.completed_on.isoformat(),
        )


class Followups(msgspec.Struct):
    programme: str
    start_date: str
    followups: list[FollowupOut]


class ProgrammeOut(msgspec.Struct):
    id: str
    name: str
    description: str


class Programmes(msgspec.Struct):
    programmes: list[ProgrammeOut]


class EnrolmentIn(msgspec.Struct, forbid_unknown_fields=True):
    programme: InstrumentId
    start_date: Annotated[date | None, Meta(description="Default: today")] = None


class EnrolmentOut(msgspec.Struct):
    programme: str
    name: str
    description: str
    start_date: str
    chosen: Annotated[bool, Meta(description="False: the default, from the account's first day")]


class ScaleSettings(msgspec.Struct, forbid_unknown_fields=True):
    cutoff_set: Annotated[
        CutoffSet | None,
        Meta(description="Which sex-specific cut-offs apply; null (the default) for none"),
    ] = None


class HelpResources(msgspec.Struct):
    country: str | None
    region: Annotated[str | None, Meta(description="The Danish region chosen, if any")]
    resources: list[LocalResource]


class HelpSettings(msgspec.Struct, forbid_unknown_fields=True):
    region: Annotated[
        Region | None,
        Meta(description="Denmark: the region whose out-of-hours medical line is shown; null: all"),
    ] = None
