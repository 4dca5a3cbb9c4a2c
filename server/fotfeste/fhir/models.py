"""The part of FHIR R4 that Fotfeste writes, as msgspec Structs (camelCase on the wire)."""

from __future__ import annotations

from typing import Literal

import msgspec


class _Fhir(msgspec.Struct, rename="camel", omit_defaults=True, kw_only=True):
    """FHIR leaves out empty elements rather than sending nulls.

    Fields with a default are left out when they hold it, so what FHIR requires has none
    (`status`, `type`), and a resource's `resourceType` is its msgspec tag, always written.
    """


class Extension(_Fhir):
    url: str
    value_decimal: float | None = None
    value_integer: int | None = None


class Coding(_Fhir):
    system: str | None = None
    code: str | None = None
    display: str | None = None
    extension: list[Extension] | None = None


class CodeableConcept(_Fhir):
    coding: list[Coding] | None = None
    text: str | None = None


class AnswerOption(_Fhir):
    value_coding: Coding
    extension: list[Extension] | None = None


class QuestionnaireItem(_Fhir):
    link_id: str
    type: Literal["display", "choice", "integer"]
    text: str | None = None
    prefix: str | None = None
    code: list[Coding] | None = None
    required: bool | None = None
    read_only: bool | None = None
    answer_option: list[AnswerOption] | None = None
    extension: list[Extension] | None = None


class Questionnaire(_Fhir, tag_field="resourceType", tag="Questionnaire"):
    id: str
    url: str
    version: str
    name: str
    title: str
    language: str
    description: str
    copyright: str
    item: list[QuestionnaireItem]
    status: Literal["active"]
    subject_type: list[str]
    code: list[Coding] | None = None


class Answer(_Fhir):
    value_coding: Coding | None = None
    value_integer: int | None = None


class ResponseItem(_Fhir):
    link_id: str
    text: str | None = None
    answer: list[Answer] | None = None


class QuestionnaireResponse(_Fhir, tag_field="resourceType", tag="QuestionnaireResponse"):
    id: str
    questionnaire: str
    authored: str
    language: str
    item: list[ResponseItem]
    status: Literal["completed"]


class Period(_Fhir):
    start: str
    end: str


class Quantity(_Fhir):
    value: int
    unit: str
    system: str
    code: str


class Observation(_Fhir, tag_field="resourceType", tag="Observation"):
    id: str
    category: list[CodeableConcept]
    code: CodeableConcept
    status: Literal["final"]
    effective_date_time: str | None = None
    effective_period: Period | None = None
    value_quantity: Quantity | None = None
    value_boolean: bool | None = None


class BundleEntry(_Fhir):
    full_url: str
    resource: QuestionnaireResponse | Observation


class Bundle(_Fhir, tag_field="resourceType", tag="Bundle"):
    id: str
    timestamp: str
    entry: list[BundleEntry]
    type: Literal["collection"]


class QuestionnaireBundle(_Fhir, tag_field="resourceType", tag="Bundle"):
    """The answer of GET /fhir/Questionnaire: every instrument, as a searchset."""

    id: str
    total: int
    entry: list[QuestionnaireEntry]
    type: Literal["searchset"]


class QuestionnaireEntry(_Fhir):
    full_url: str
    resource: Questionnaire
