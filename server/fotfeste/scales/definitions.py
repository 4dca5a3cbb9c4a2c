"""The shapes of the data files (instruments, programmes) and their loading and validation."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

LOCALES: tuple[str, ...] = ("sv", "nb", "da", "en")
DATA_DIR = Path(__file__).parent
INSTRUMENTS_DIR = DATA_DIR / "instruments"
PROGRAMMES_FILE = DATA_DIR / "programmes.json"

Key = Annotated[str, Meta(pattern=r"^[1-9][0-9]?$")]
InstrumentId = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9-]{1,30}$")]
# locale -> text. Which locales must be present is checked by the loader, not the type.
Text = dict[Literal["sv", "nb", "da", "en"], str]
Role = Literal["self", "relative"]
Measure = Literal["burden", "days_used", "belief"]
CutoffSetId = Literal["men", "women"]


class DefinitionError(ValueError):
    """A data file is malformed: the app refuses to start rather than score wrongly."""


class Option(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    score: int
    label: Text


class Item(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    key: Key
    text: Text
    # Either a list of options (the answer is the chosen option's score) or a whole-number range.
    options: list[Option] | None = None
    min: int | None = None
    max: int | None = None
    min_label: Text | None = None
    max_label: Text | None = None
    hint: Text | None = None
    measure: Measure | None = None
    prefill: Literal["days_used_last_30"] | None = None

    def allowed(self) -> frozenset[int]:
        if self.options is not None:
            return frozenset(o.score for o in self.options)
        assert self.min is not None
        assert self.max is not None
        return frozenset(range(self.min, self.max + 1))


class ItemsFrom(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A short form reuses its long form's items (AUDIT-C: AUDIT's items 1–3), keys renumbered."""

    instrument: InstrumentId
    keys: list[Key]


class Band(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$")]
    min: int
    max: int
    label: Text
    explanation: Text


class Cutoff(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    set: CutoffSetId
    min: int
    country: Annotated[str, Meta(pattern=r"^[A-Z]{2}$")] | None = None


class Cutoffs(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Sex-specific screening cut-offs; the person may choose a set, and never has to."""

    sets: list[Cutoff]
    above: Text
    below: Text
    source: str


class SafetyRule(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An answer of at least `min` to `item` calls for immediate help."""

    item: Key
    min: int
    reason: str


class Licence(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    name: str
    url: str
    summary: str
    commercial_use: bool
    wording_may_change: bool
    attribution: str


class Source(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    citation: str
    url: str | None = None


class Translation(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Where a language's wording comes from; `credit` (in that language) is shown with it."""

    credit: str
    version: str
    source: str
    url: str | None = None
    # Known slips of the published text: kept as published, noted here (never corrected).
    doubts: str = ""


class NationalBand(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A band's words for a person in one country; the band's range and id stay the WHO's."""

    id: Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$")]
    label: Text
    explanation: Text


class National(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A country's official cut-offs, told in the band texts of a person living there."""

    source: str
    url: str | None
    bands: list[NationalBand]


class Instrument(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: InstrumentId
    version: str
    title: str
    name: Text
    audience: list[Role]
    source: Source
    licence: Licence
    recall_days: int
    # Languages in which the file holds the instrument's own wording; others fall back to English.
    languages: list[Literal["sv", "nb", "da", "en"]]
    # For each language but English: its version and source (required for each one declared).
    translations: dict[Literal["sv", "nb", "da"], Translation] = {}
    # "ours": Fotfeste's own questions (the check-up), written in every language, no translation.
    wording: Literal["published", "ours"] = "published"
    order: int = 100  # where the instrument stands in lists
    translation_notes: dict[str, str] = {}
    instructions: Text | None = None
    items: list[Item] = []
    items_from: ItemsFrom | None = None
    scoring: Literal["sum", "none"] = "sum"
    bands: list[Band] = []
    cutoffs: Cutoffs | None = None
    # Country code -> band texts that use that country's official cut-offs.
    national: dict[Annotated[str, Meta(pattern=r"^[A-Z]{2}$")], National] = {}
    safety: list[SafetyRule] = []
    short_form: InstrumentId | None = None
    notes: str = ""

    @property
    def max_score(self) -> int | None:
        if self.scoring != "sum":
            return None
        return sum(max(item.allowed()) for item in self.items)

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)


class Offset(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    days: int = 0
    weeks: int = 0
    months: int = 0


class Point(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    key: Annotated[str, Meta(pattern=r"^[a-z0-9]+$")]
    offset: Offset
    label: Text


class Repeat(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Further points every `every_days` after the last fixed point, while enrolled."""

    every_days: Annotated[int, Meta(ge=1)]
    label: Text  # with {n}: the week number


class Programme(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: InstrumentId
    name: Text
    description: Text
    window_before_days: Annotated[int, Meta(ge=0)]
    window_after_days: Annotated[int, Meta(ge=0)]
    points: list[Point]
    required: list[InstrumentId]
    offered: list[InstrumentId]
    repeat: Repeat | None = None


class ProgrammeFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    default: InstrumentId
    programmes: list[Programme]


class Catalogue(msgspec.Struct, frozen=True):
    """Every instrument (by file stem) and programme, validated together."""

    instruments: dict[str, Instrument]
    programmes: dict[str, Programme]
    default_programme: str

    def instrument(self, instrument_id: str, role: str) -> Instrument | None:
        """The version of an instrument meant for this role (the checkup has one per role)."""
        return next(
            (i for i in self.instruments.values() if i.id == instrument_id and role in i.audience),
            None,
        )

    def for_role(self, role: str) -> list[Instrument]:
        chosen = [i for i in self.instruments.values() if role in i.audience]
        return sorted(chosen, key=lambda i: (i.order, i.id))

    def ids(self) -> set[str]:
        return {i.id for i in self.instruments.values()}


def load_catalogue(
    instruments_dir: Path = INSTRUMENTS_DIR, programmes_file: Path = PROGRAMMES_FILE
) -> Catalogue:
    """Decode and validate every data file; any mistake raises DefinitionError naming the file."""
    raw: dict[str, Instrument] = {}
    for path in sorted(instruments_dir.glob("*.json")):
        try:
            raw[path.stem] = msgspec.json.decode(path.read_bytes(), type=Instrument)
        except msgspec.ValidationError as exc:
            raise DefinitionError(f"{path.name}: {exc}") from exc
    instruments = {stem: _resolve(stem, inst, raw) for stem, inst in raw.items()}
    for stem, inst in instruments.items():
        _check_instrument(stem, inst, instruments)
    try:
        programme_file = msgspec.json.decode(programmes_file.read_bytes(), type=ProgrammeFile)
    except msgspec.ValidationError as exc:
        raise DefinitionError(f"{programmes_file.name}: {exc}") from exc
    programmes = {p.id: p for p in programme_file.programmes}
    known = {i.id for i in instruments.values()}
    for programme in programmes.values():
        _check_programme(programme, known)
    if programme_file.default not in programmes:
        raise DefinitionError(f"default programme {programme_file.default!r} is not defined")
    return Catalogue(instruments, programmes, programme_file.default)


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue, loaded once (at start-up, by create_app)."""
    return load_catalogue()


def _resolve(stem: str, inst: Instrument, raw: dict[str, Instrument]) -> Instrument:
    if inst.items_from is None:
        return inst
    if inst.items:
        raise DefinitionError(f"{stem}.json: give items or items_from, not both")
    long_form = next((i for i in raw.values() if i.id == inst.items_from.instrument), None)
    if long_form is None or long_form.items_from is not None:
        raise DefinitionError(f"{stem}.json: items_from names no instrument with its own items")
    if inst.languages != long_form.languages or inst.translations != long_form.translations:
        # A short form's wording is its long form's, in the same languages from the same source.
        raise DefinitionError(f"{stem}.json: languages and translations must be {long_form.id}'s")
    items = []
    for number, key in enumerate(inst.items_from.keys, start=1):
        item = long_form.item(key)
        if item is None:
            raise DefinitionError(f"{stem}.json: {long_form.id} has no item {key}")
        items.append(msgspec.structs.replace(item, key=str(number)))
    return msgspec.structs.replace(inst, items=items)


def _texts(inst: Instrument) -> Iterable[tuple[str, Text]]:
    """The instrument's own wording (its languages are declared in `languages`).

    Instructions and hints are left out: a published version may have none (the Swedish AUDIT
    has no instruction), and then none is shown in that language rather than an English one.
    """
    for item in inst.items:
        yield f"item {item.key}", item.text
        for name in ("min_label", "max_label"):
            if (text := getattr(item, name)) is not None:
                yield f"item {item.key} {name}", text
        for option in item.options or []:
            yield f"item {item.key} option {option.score}", option.label


def _check_instrument(stem: str, inst: Instrument, all_: dict[str, Instrument]) -> None:
    def fail(message: str) -> DefinitionError:
        return DefinitionError(f"{stem}.json: {message}")

    if "en" not in inst.languages:
        raise fail("English wording is the fallback and must be present")
    needs_source = set(inst.languages) - {"en"} if inst.wording == "published" else set()
    if set(inst.translations) != needs_source:
        raise fail("each language but English needs its translation's version and source")
    for text in [inst.instructions] + [i.hint for i in inst.items]:
        if text is not None and set(text) - set(inst.languages):
            raise fail("instructions or a hint are in a language the file does not declare")
    keys = [item.key for item in inst.items]
    if not keys or keys != [str(n) for n in range(1, len(keys) + 1)]:
        raise fail('items must be keyed "1" … "n" in order')
    for item in inst.items:
        has_range = item.min is not None and item.max is not None and item.min <= item.max
        if (item.options is None) == (not has_range) or (item.options and item.min is not None):
            raise fail(f"item {item.key} needs either options or min <= max")
        if item.options is not None and len(item.allowed()) != len(item.options):
            raise fail(f"item {item.key} has two options with one score")
    for where, text in _texts(inst):
        missing = set(inst.languages) - set(text)
        if missing:
            raise fail(f"{where} lacks {sorted(missing)} though the file declares them")
    # Our own words (names, bands, cut-off texts) exist in every language.
    ours: list[tuple[str, Text]] = [("name", inst.name)]
    ours += [(f"band {b.id}", b.label) for b in inst.bands]
    ours += [(f"band {b.id}", b.explanation) for b in inst.bands]
    if inst.cutoffs is not None:
        ours += [("cutoffs above", inst.cutoffs.above), ("cutoffs below", inst.cutoffs.below)]
    band_ids = {b.id for b in inst.bands}
    for country, national in inst.national.items():
        for band in national.bands:
            if band.id not in band_ids:
                raise fail(f"national {country} names no band {band.id}")
            ours += [(f"national {country} {band.id}", band.label)]
            ours += [(f"national {country} {band.id}", band.explanation)]
    for where, text in ours:
        if set(text) != set(LOCALES):
            raise fail(f"{where} must be written in {list(LOCALES)}")
    _check_bands(stem, inst)
    for rule in inst.safety:
        target = inst.item(rule.item)
        if target is None or rule.min > max(target.allowed()):
            raise fail(f"safety rule on item {rule.item} can never fire")
    if inst.short_form is not None and inst.short_form not in {i.id for i in all_.values()}:
        raise fail(f"short form {inst.short_form} is not defined")


def _check_bands(stem: str, inst: Instrument) -> None:
    if not inst.bands:
        return
    if inst.max_score is None:
        raise DefinitionError(f"{stem}.json: bands need a summed score")
    expected = 0
    for band in sorted(inst.bands, key=lambda b: b.min):
        if band.min != expected or band.max < band.min:
            raise DefinitionError(
                f"{stem}.json: bands must cover 0…{inst.max_score} without gaps (at {band.id})"
            )
        expected = band.max + 1
    if expected != inst.max_score + 1:
        raise DefinitionError(f"{stem}.json: bands must end at the maximum score {inst.max_score}")


def _check_programme(programme: Programme, known: set[str]) -> None:
    unknown = set(programme.required + programme.offered) - known
    if unknown:
        raise DefinitionError(f"programme {programme.id} names unknown instruments {unknown}")
    keys = [p.key for p in programme.points]
    if len(set(keys)) != len(keys) or not keys:
        raise DefinitionError(f"programme {programme.id} needs points with distinct keys")
    texts = [("name", programme.name), ("description", programme.description)]
    texts += [(f"point {p.key}", p.label) for p in programme.points]
    if programme.repeat is not None:
        texts.append(("repeat", programme.repeat.label))
    for where, text in texts:
        if set(text) != set(LOCALES):
            raise DefinitionError(f"programme {programme.id} {where} must be in {list(LOCALES)}")
