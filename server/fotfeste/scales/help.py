"""Crisis and support lines: the shipped list, a deployment's additions, filtered per account."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from fotfeste.scales.definitions import LOCALES, DefinitionError, Text

RESOURCES_FILE = Path(__file__).parent / "crisis_resources.json"
Kind = Literal[
    "crisis_line",
    "emergency",
    "addiction",
    "medical",
    "support",
    "advice",
    "poison",
    "youth",
    "violence",
    "relatives",
]
# A safety answer and "I need help now": the national crisis line first, then the emergency
# numbers, then addiction and medical advice. The other kinds have their own screens.
CRISIS_ORDER: dict[str, int] = {
    "crisis_line": 0,
    "emergency": 1,
    "addiction": 2,
    "medical": 3,
    "support": 4,
    "advice": 5,
}
# Denmark's out-of-hours medical number depends on the region one lives in.
Region = Literal["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"]
REGIONS: dict[str, tuple[str, ...]] = {
    "DK": ("hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland")
}
Checked = Annotated[str, Meta(pattern=r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")]


class CrisisResource(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: Annotated[str, Meta(pattern=r"^[a-z0-9-]{1,60}$")]
    name: Text
    phone: Annotated[str, Meta(pattern=r"^[0-9 +-]{2,20}$")] | None
    url: str | None
    # In the four languages (an older file may give one text for all).
    hours: Text | str | None
    country: Annotated[str, Meta(pattern=r"^[A-Z]{2}$")]
    languages: list[Literal["sv", "nb", "da", "en"]]
    kind: Kind
    # Where the number is published: an entry without a source is refused.
    source: Annotated[str, Meta(pattern=r"^https?://")]
    # When someone last checked the number against its source (YYYY-MM or YYYY-MM-DD).
    checked: Checked | None = None
    description: Text | None = None
    anonymous: bool | None = None
    region: Region | None = None


class ResourceFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    resources: list[CrisisResource]
    about: str = ""
    # A deployment's file replaces the shipped list, or extends it (same id: its entry wins).
    mode: Literal["replace", "extend"] = "replace"


class LocalResource(msgspec.Struct, frozen=True):
    """One resource as an account sees it: texts in its language."""

    id: str
    name: str
    description: str | None
    phone: str | None
    url: str | None
    hours: str | None
    anonymous: bool | None
    country: str
    region: str | None
    languages: list[str]
    kind: Kind
    source: str
    checked: str | None


def _read(path: Path) -> ResourceFile:
    try:
        data = msgspec.json.decode(path.read_bytes(), type=ResourceFile)
    except (OSError, msgspec.DecodeError) as exc:
        raise DefinitionError(f"crisis resources {path}: {exc}") from exc
    ids = [r.id for r in data.resources]
    if len(set(ids)) != len(ids):
        raise DefinitionError(f"crisis resources {path}: ids must be unique")
    for resource in data.resources:
        if "en" not in resource.name or (resource.phone is None and resource.url is None):
            raise DefinitionError(
                f"crisis resources {path}: {resource.id} needs an English name and a phone or URL"
            )
        if resource.region is not None and resource.region not in REGIONS.get(resource.country, ()):
            raise DefinitionError(
                f"crisis resources {path}: {resource.id}: {resource.region} is not a region "
                f"of {resource.country}"
            )
        if resource.checked is not None:
            checked_date(resource.checked)  # a date that does not exist is refused here
    return data


def load_resources(path: Path | None = None) -> list[CrisisResource]:
    """The shipped list; with a deployment's file (FOTFESTE_CRISIS_RESOURCES), extended or
    replaced by it as the file's `mode` says."""
    shipped = _read(RESOURCES_FILE).resources
    if path is None:
        return shipped
    local = _read(path)
    if local.mode == "replace":
        return local.resources
    overrides = {r.id: r for r in local.resources}
    merged = [overrides.pop(r.id, r) for r in shipped]
    return merged + [r for r in local.resources if r.id in overrides]


def checked_date(checked: str) -> date:
    """The day a check counts from: a month alone counts from its first day (the older reading)."""
    try:
        return date.fromisoformat(checked if len(checked) == 10 else f"{checked}-01")
    except ValueError as exc:
        raise DefinitionError(f"checked {checked!r} is not a date") from exc


def _text(text: Text | str | None, locale: str) -> str | None:
    if text is None or isinstance(text, str):
        return text
    return text.get(locale) or text.get("en")  # type: ignore[call-overload]


def resources_for(
    resources: list[CrisisResource],
    country: str | None,
    locale: str,
    *,
    region: str | None = None,
    crisis_only: bool = False,
) -> list[LocalResource]:
    """The resources of the account's country, in the order a person should see them.

    Regional lines: only the chosen region's, or every region's (each names its region) when
    none is chosen. `crisis_only` keeps what a safety answer shows. An unknown country gets
    none rather than another country's numbers: the PWA then says to call 112.
    """
    assert locale in LOCALES
    chosen = [
        r
        for r in resources
        if country is not None
        and r.country == country
        and (region is None or r.region is None or r.region == region)
        and (not crisis_only or r.kind in CRISIS_ORDER)
    ]
    position = {r.id: n for n, r in enumerate(chosen)}
    chosen.sort(key=lambda r: (CRISIS_ORDER.get(r.kind, 9), position[r.id]))
    return [
        LocalResource(
            id=r.id,
            name=_text(r.name, locale) or r.id,
            description=_text(r.description, locale),
            phone=r.phone,
            url=r.url,
            hours=_text(r.hours, locale),
            anonymous=r.anonymous,
            country=r.country,
            region=r.region,
            languages=list(r.languages),
            kind=r.kind,
            source=r.source,
            checked=r.checked,
        )
        for r in chosen
    ]
