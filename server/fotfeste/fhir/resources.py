"""Pure builders: an instrument as a Questionnaire, stored answers as QuestionnaireResponses.

The canonical URL of an instrument is `{public_url}/fhir/Questionnaire/{stem}`, where the stem is
its data file's name (the check-up has one file per role), and a response points at it with the
version it was answered in (`…/phq9|2001`). Answers are Codings whose `ordinalValue` extension is
the item's score as the published scoring gives it; the total score, where the instrument has one,
is one more item, `total`, read-only in the Questionnaire and a `valueInteger` in the response.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date

from fotfeste.fhir.codes import LOINC, codes_for
from fotfeste.fhir.models import (
    Answer,
    AnswerOption,
    Bundle,
    BundleEntry,
    CodeableConcept,
    Coding,
    Extension,
    Observation,
    Period,
    Quantity,
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireResponse,
    ResponseItem,
)
from fotfeste.scales.service import Instrument, Item, text_in, wording_language

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
SURVEY = CodeableConcept(
    coding=[
        Coding(
            system="http://terminology.hl7.org/CodeSystem/observation-category",
            code="survey",
            display="Survey",
        )
    ]
)
TOTAL = "total"

# Our own words in the export: a clinician reads them, so they follow the person's language.
_TOTAL_TEXT = {
    "sv": "Summa poäng",
    "nb": "Samlet poengsum",
    "da": "Samlet score",
    "en": "Total score",
}
_INSTRUCTIONS = "instructions"
_DAYS_WITH_USE = {
    "sv": "Dagar med alkohol eller droger (självrapporterat)",
    "nb": "Dager med bruk av alkohol eller rusmidler (selvrapportert)",
    "da": "Dage med brug af alkohol eller stoffer (selvrapporteret)",
    "en": "Days with alcohol or drug use (self-reported)",
}
_USE_DAY = {
    "sv": "Dag med alkohol eller droger (självrapporterat)",
    "nb": "Dag med bruk av alkohol eller rusmidler (selvrapportert)",
    "da": "Dag med brug af alkohol eller stoffer (selvrapporteret)",
    "en": "Day with alcohol or drug use (self-reported)",
}


def canonical(public_url: str, stem: str) -> str:
    return f"{public_url}/fhir/Questionnaire/{stem}"


def code_system(public_url: str, stem: str) -> str:
    """Fotfeste's own answer codes for an instrument whose answers LOINC does not code here."""
    return f"{public_url}/fhir/CodeSystem/{stem}"


def questionnaire(inst: Instrument, stem: str, locale: str, public_url: str) -> Questionnaire:
    """The instrument in `locale` (its own wording where the file has it, English otherwise)."""
    language = wording_language(inst, locale)
    codes = codes_for(inst.id)
    items: list[QuestionnaireItem] = []
    instructions = text_in(inst.instructions, language)
    if instructions:
        items.append(QuestionnaireItem(link_id=_INSTRUCTIONS, type="display", text=instructions))
    for item in inst.items:
        items.append(_question(inst, stem, item, language, public_url))
    if inst.scoring == "sum":
        items.append(
            QuestionnaireItem(
                link_id=TOTAL,
                type="integer",
                text=_TOTAL_TEXT.get(locale, _TOTAL_TEXT["en"]),
                code=_loinc(codes.total),
                read_only=True,
                extension=[
                    Extension(url=MIN_VALUE, value_integer=0),
                    Extension(url=MAX_VALUE, value_integer=inst.max_score),
                ],
            )
        )
    licence = inst.licence
    return Questionnaire(
        id=stem,
        status="active",
        subject_type=["Patient"],
        url=canonical(public_url, stem),
        version=inst.version,
        name="".join(ch for ch in inst.title.title() if ch.isalnum()) or stem,
        title=text_in(inst.name, locale) or inst.title,
        language=language,
        description=inst.source.citation,
        copyright=f"{licence.attribution} {licence.name}: {licence.url}",
        code=_loinc(codes.panel, codes.panel_display),
        item=items,
    )


def _question(
    inst: Instrument, stem: str, item: Item, language: str, public_url: str
) -> QuestionnaireItem:
    codes = codes_for(inst.id)
    text = text_in(item.text, language)
    if item.options is None:
        return QuestionnaireItem(
            link_id=item.key,
            prefix=item.key,
            type="integer",
            text=text,
            code=_loinc(codes.items.get(item.key)),
            required=True,
            extension=[
                Extension(url=MIN_VALUE, value_integer=item.min),
                Extension(url=MAX_VALUE, value_integer=item.max),
            ],
        )
    return QuestionnaireItem(
        link_id=item.key,
        prefix=item.key,
        type="choice",
        text=text,
        code=_loinc(codes.items.get(item.key)),
        required=True,
        answer_option=[
            AnswerOption(
                value_coding=_answer_coding(
                    inst, stem, o.score, text_in(o.label, language), public_url
                ),
                extension=[Extension(url=ORDINAL, value_decimal=o.score)],
            )
            for o in item.options
        ],
    )


def _answer_coding(
    inst: Instrument, stem: str, score: int, display: str | None, public_url: str
) -> Coding:
    loinc_answer = codes_for(inst.id).answers.get(score)
    if loinc_answer is not None:
        return Coding(system=LOINC, code=loinc_answer, display=display)
    return Coding(system=code_system(public_url, stem), code=str(score), display=display)


def _loinc(code: str | None, display: str | None = None) -> list[Coding] | None:
    return None if code is None else [Coding(system=LOINC, code=code, display=display)]


def response(
    inst: Instrument,
    stem: str,
    *,
    version: str,
    answers: Mapping[str, int],
    score: int | None,
    authored: str,
    locale: str,
    public_url: str,
) -> QuestionnaireResponse:
    """One stored response; `score` is the one the API stored and shows."""
    language = wording_language(inst, locale)
    items: list[ResponseItem] = []
    for item in inst.items:
        if item.key not in answers:
            continue
        value = answers[item.key]
        if item.options is None:
            answer = Answer(value_integer=value)
        else:
            label = next((o.label for o in item.options if o.score == value), None)
            coding = _answer_coding(inst, stem, value, text_in(label, language), public_url)
            coding.extension = [Extension(url=ORDINAL, value_decimal=value)]
            answer = Answer(value_coding=coding)
        items.append(
            ResponseItem(link_id=item.key, text=text_in(item.text, language), answer=[answer])
        )
    if score is not None and inst.scoring == "sum":
        items.append(
            ResponseItem(
                link_id=TOTAL,
                text=_TOTAL_TEXT.get(locale, _TOTAL_TEXT["en"]),
                answer=[Answer(value_integer=score)],
            )
        )
    return QuestionnaireResponse(
        id=str(uuid.uuid4()),
        status="completed",
        questionnaire=f"{canonical(public_url, stem)}|{version}",
        authored=authored,
        language=language,
        item=items,
    )


def use_observations(
    use_days: Iterable[date], first: date, last: date, locale: str, public_url: str
) -> list[Observation]:
    """Days with use in [first, last]: one count over the period, then one per day with use."""
    system = f"{public_url}/fhir/CodeSystem/self-report"
    days = sorted(d for d in use_days if first <= d <= last)
    count = Observation(
        id=str(uuid.uuid4()),
        status="final",
        category=[SURVEY],
        code=CodeableConcept(
            coding=[Coding(system=system, code="days-with-use")],
            text=_DAYS_WITH_USE.get(locale, _DAYS_WITH_USE["en"]),
        ),
        effective_period=Period(start=first.isoformat(), end=last.isoformat()),
        value_quantity=Quantity(
            value=len(days), unit="days", system="http://unitsofmeasure.org", code="d"
        ),
    )
    each = [
        Observation(
            id=str(uuid.uuid4()),
            status="final",
            category=[SURVEY],
            code=CodeableConcept(
                coding=[Coding(system=system, code="use-day")],
                text=_USE_DAY.get(locale, _USE_DAY["en"]),
            ),
            effective_date_time=day.isoformat(),
            value_boolean=True,
        )
        for day in days
    ]
    return [count, *each]


def bundle(resources: Iterable[QuestionnaireResponse | Observation], timestamp: str) -> Bundle:
    entries = [BundleEntry(full_url=f"urn:uuid:{r.id}", resource=r) for r in resources]
    return Bundle(id=str(uuid.uuid4()), type="collection", timestamp=timestamp, entry=entries)
