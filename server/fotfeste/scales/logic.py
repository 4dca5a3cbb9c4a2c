"""Pure scoring rules: validate answers, sum scores, find bands, cut-offs and safety signals."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from fotfeste.errors import InvalidInput
from fotfeste.scales.definitions import Band, Cutoff, Instrument, Text


class Scored(msgspec.Struct, frozen=True):
    """What the published scoring says about one set of answers."""

    answers: dict[str, int]
    score: int | None
    max_score: int | None
    band: Band | None
    safety: bool
    measures: dict[str, int]


class CutoffResult(msgspec.Struct, frozen=True):
    set: str
    min: int
    country: str | None
    above: bool


def validate_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    """Every item answered with one of its scores, nothing else; otherwise 400 naming the item."""
    for key in answers:
        if instrument.item(key) is None:
            raise InvalidInput(
                f"{instrument.id} has no item {key!r}; items are keyed 1–{len(instrument.items)}",
                field=f"answers.{key}",
            )
    clean: dict[str, int] = {}
    for item in instrument.items:
        if item.key not in answers:
            raise InvalidInput(f"Item {item.key} is not answered", field=f"answers.{item.key}")
        value = answers[item.key]
        allowed = item.allowed()
        # bool is an int in Python; an answer of `true` is not a score, nor is "1".
        if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
            raise InvalidInput(
                f"Item {item.key} takes {_describe(allowed)}, not {value!r}",
                field=f"answers.{item.key}",
            )
        clean[item.key] = value
    return clean


def _describe(allowed: frozenset[int]) -> str:
    values = sorted(allowed)
    if values == list(range(values[0], values[-1] + 1)) and len(values) > 3:
        return f"a whole number from {values[0]} to {values[-1]}"
    return "one of " + ", ".join(str(v) for v in values)


def total_score(instrument: Instrument, answers: Mapping[str, int]) -> int | None:
    if instrument.scoring != "sum":
        return None
    return sum(answers[item.key] for item in instrument.items)


def band_for(instrument: Instrument, score: int | None) -> Band | None:
    if score is None:
        return None
    return next((b for b in instrument.bands if b.min <= score <= b.max), None)


def needs_help(instrument: Instrument, answers: Mapping[str, int]) -> bool:
    """True when any safety rule of the instrument fires."""
    return any(answers.get(rule.item, -1) >= rule.min for rule in instrument.safety)


def measures(instrument: Instrument, answers: Mapping[str, int]) -> dict[str, int]:
    """The core measures (burden, days_used, belief) by name, for items that carry one."""
    return {item.measure: answers[item.key] for item in instrument.items if item.measure}


def score(instrument: Instrument, answers: Mapping[str, object]) -> Scored:
    """Validate and score: the one entry point the routes use."""
    clean = validate_answers(instrument, answers)
    total = total_score(instrument, clean)
    return Scored(
        answers=clean,
        score=total,
        max_score=instrument.max_score,
        band=band_for(instrument, total),
        safety=needs_help(instrument, clean),
        measures=measures(instrument, clean),
    )


def chosen_cutoff(
    instrument: Instrument, cutoff_set: str | None, country: str | None
) -> Cutoff | None:
    """The cut-off of the set the person chose (the country's own first), or None."""
    if instrument.cutoffs is None or cutoff_set is None:
        return None
    candidates = [c for c in instrument.cutoffs.sets if c.set == cutoff_set]
    national = [c for c in candidates if c.country is not None and c.country == country]
    general = [c for c in candidates if c.country is None]
    found = national or general
    return found[0] if found else None


def cutoff_for(
    instrument: Instrument, score: int | None, cutoff_set: str | None, country: str | None
) -> CutoffResult | None:
    """Whether a score is above the chosen cut-off; None when no set is chosen or applies."""
    chosen = chosen_cutoff(instrument, cutoff_set, country)
    if chosen is None or score is None:
        return None
    return CutoffResult(
        set=chosen.set, min=chosen.min, country=chosen.country, above=score >= chosen.min
    )


def text_in(text: Text | None, locale: str) -> str | None:
    """A text in the locale, or English when the file has no wording in that language."""
    if text is None:
        return None
    return text.get(locale) or text["en"]  # type: ignore[call-overload]


def wording_in(text: Text | None, language: str) -> str | None:
    """An instrument's own wording in its language, never another's (no fallback)."""
    if text is None:
        return None
    found: str | None = text.get(language)  # type: ignore[call-overload]
    return found


def band_text(instrument: Instrument, band: Band, country: str | None) -> tuple[Text, Text]:
    """A band's label and explanation: the country's own where it has official cut-offs."""
    national = instrument.national.get(country or "")
    if national is not None:
        found = next((b for b in national.bands if b.id == band.id), None)
        if found is not None:
            return found.label, found.explanation
    return band.label, band.explanation


def wording_language(instrument: Instrument, locale: str) -> str:
    """The language the instrument's own wording is served in."""
    return locale if locale in instrument.languages else "en"
