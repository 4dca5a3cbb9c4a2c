"""LOINC codes for the instruments, and only those we could trace to a published source.

Each code below was checked against LOINC's own forms (the LHC-Forms/LOINC exports of the PHQ-9,
GAD-7 and AUDIT-C panels, whose Questionnaire resources carry the codes item by item) and against
independent FHIR implementations that use the same codes (HL7 implementation-guide examples in FSH,
clinical tools that verified them with a terminology server's `$lookup` on http://loinc.org).
Where we were not sure, there is no code: AUDIT (full) items 4–10 and its panel, DUDIT, DUDIT-C and
Fotfeste's own check-up carry none; a clinic's system reads them by the canonical URL instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOINC = "http://loinc.org"

# LOINC's answer list for "Not at all … Nearly every day" (LL358-3), shared by PHQ-9 and GAD-7;
# keyed by the item score the published scoring gives each answer.
_FREQUENCY_ANSWERS = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}


@dataclass(frozen=True)
class InstrumentCodes:
    """The LOINC codes of one instrument: the panel, its items by key, its total score."""

    panel: str | None = None
    panel_display: str | None = None
    items: dict[str, str] = field(default_factory=dict)
    total: str | None = None
    answers: dict[int, str] = field(default_factory=dict)


CODES: dict[str, InstrumentCodes] = {
    # PHQ-9 quick depression assessment panel [Reported.PHQ].
    "phq9": InstrumentCodes(
        panel="44249-1",
        panel_display="PHQ-9 quick depression assessment panel",
        items={
            "1": "44250-9",
            "2": "44255-8",
            "3": "44259-0",
            "4": "44254-1",
            "5": "44251-7",
            "6": "44258-2",
            "7": "44252-5",
            "8": "44253-3",
            "9": "44260-8",
        },
        total="44261-6",
        answers=_FREQUENCY_ANSWERS,
    ),
    # Generalized anxiety disorder 7 item (GAD-7).
    "gad7": InstrumentCodes(
        panel="69737-5",
        panel_display="Generalized anxiety disorder 7 item (GAD-7)",
        items={
            "1": "69725-0",
            "2": "68509-9",
            "3": "69733-4",
            "4": "69734-2",
            "5": "69735-9",
            "6": "69689-8",
            "7": "69736-7",
        },
        total="70274-6",
        answers=_FREQUENCY_ANSWERS,
    ),
    # Alcohol Use Disorder Identification Test - Consumption [AUDIT-C]. Its answer codes differ
    # per item and were not all confirmed, so answers carry the score alone.
    "audit-c": InstrumentCodes(
        panel="72109-2",
        panel_display="Alcohol Use Disorder Identification Test - Consumption [AUDIT-C]",
        items={"1": "68518-0", "2": "68519-8", "3": "68520-6"},
        total="75626-2",
    ),
    # The full AUDIT's first three items are the AUDIT-C's; the rest are not coded here.
    "audit": InstrumentCodes(items={"1": "68518-0", "2": "68519-8", "3": "68520-6"}),
}


def codes_for(instrument_id: str) -> InstrumentCodes:
    return CODES.get(instrument_id, InstrumentCodes())
