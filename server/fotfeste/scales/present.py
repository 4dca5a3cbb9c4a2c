"""Instruments and responses as an account sees them: texts in its language, cut-offs applied."""

from __future__ import annotations

from typing import Any

import msgspec

from fotfeste.scales import logic
from fotfeste.scales.definitions import Instrument
from fotfeste.scales.help import LocalResource
from fotfeste.scales.models import (
    BandOut,
    CutoffOut,
    CutoffResultOut,
    InstrumentOut,
    ItemOut,
    LicenceOut,
    OptionOut,
    ResponseOut,
    SafetyRuleOut,
    TranslationOut,
)


def instrument_out(
    inst: Instrument,
    locale: str,
    *,
    cutoff_set: str | None,
    country: str | None,
    prefills: dict[str, int | None],
) -> InstrumentOut:
    language = logic.wording_language(inst, locale)

    def t(text: Any) -> str:
        return logic.text_in(text, language) or ""

    def ours(text: Any) -> str:
        # Our own words (names, bands) exist in every language, whatever the wording's language.
        return logic.text_in(text, locale) or ""

    cutoff = logic.chosen_cutoff(inst, cutoff_set, country)
    translation = inst.translations.get(language)  # type: ignore[call-overload]
    bands = [(b, *logic.band_text(inst, b, country)) for b in inst.bands]
    return InstrumentOut(
        id=inst.id,
        version=inst.version,
        title=inst.title,
        name=ours(inst.name),
        language=language,
        translation_note=inst.translation_notes.get(locale) if language != locale else None,
        translation=None
        if translation is None
        else TranslationOut(
            credit=translation.credit,
            version=translation.version,
            source=translation.source,
            url=translation.url,
        ),
        instructions=logic.wording_in(inst.instructions, language),
        recall_days=inst.recall_days,
        items=[
            ItemOut(
                key=item.key,
                text=t(item.text),
                options=None
                if item.options is None
                else [OptionOut(score=o.score, label=t(o.label)) for o in item.options],
                min=item.min,
                max=item.max,
                min_label=logic.text_in(item.min_label, language),
                max_label=logic.text_in(item.max_label, language),
                hint=logic.wording_in(item.hint, language),
                measure=item.measure,
                prefill=None if item.prefill is None else prefills.get(item.prefill),
            )
            for item in inst.items
        ],
        scoring=inst.scoring,
        max_score=inst.max_score,
        bands=[
            BandOut(id=b.id, min=b.min, max=b.max, label=ours(label), explanation=ours(text))
            for b, label, text in bands
        ],
        cutoff=None
        if cutoff is None
        else CutoffOut(set=cutoff.set, min=cutoff.min, country=cutoff.country),
        safety=[SafetyRuleOut(item=r.item, min=r.min) for r in inst.safety],
        source=inst.source.citation,
        source_url=inst.source.url,
        licence=LicenceOut(
            name=inst.licence.name,
            url=inst.licence.url,
            summary=inst.licence.summary,
            attribution=inst.licence.attribution,
        ),
        short_form=inst.short_form,
        wording=inst.wording,
    )


def response_out(
    inst: Instrument | None,
    row: Any,
    locale: str,
    *,
    cutoff_set: str | None,
    country: str | None,
    resources: list[LocalResource],
) -> ResponseOut:
    """A stored response; band texts and the cut-off come from the current definitions."""
    answers = msgspec.json.decode(row["answers"], type=dict[str, int])
    score: int | None = row["score"]
    band = None if inst is None else next((b for b in inst.bands if b.id == row["band"]), None)
    label, explanation = (
        (None, None) if band is None or inst is None else logic.band_text(inst, band, country)
    )
    cutoff = None if inst is None else logic.cutoff_for(inst, score, cutoff_set, country)
    safety = bool(row["safety"])
    return ResponseOut(
        id=row["id"],
        instrument=row["instrument"],
        version=row["version"],
        answered_at=row["answered_at"],
        answered_on=row["answered_on"],
        answers=answers,
        score=score,
        max_score=None if inst is None else inst.max_score,
        band=row["band"],
        band_label=logic.text_in(label, locale),
        explanation=logic.text_in(explanation, locale),
        cutoff=None
        if cutoff is None or inst is None or inst.cutoffs is None
        else CutoffResultOut(
            set=cutoff.set,
            min=cutoff.min,
            country=cutoff.country,
            above=cutoff.above,
            text=logic.text_in(inst.cutoffs.above if cutoff.above else inst.cutoffs.below, locale)
            or "",
        ),
        measures={} if inst is None else logic.measures(inst, answers),
        safety=safety,
        resources=resources if safety else [],
    )
