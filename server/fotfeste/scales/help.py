"""Crisis resources: data shipped with the app or replaced per deployment, filtered per account."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from fotfeste.scales.definitions import LOCALES, DefinitionError, Text

RESOURCES_FILE = Path(__file__).parent / "crisis_resources.json"
Kind = Literal["emergency", "crisis_line", "support", "advice"]
# Emergency numbers first, then the lines that answer at once, then the rest.
_KIND_ORDER: dict[str, int] = {"emergency": 0, "crisis_line": 1, "support": 2, "advice": 3}


class CrisisResource(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: Annotated[str, Meta(pattern=r"^[a-z0-9-]{1,60}$")]
    name: Text
    phone: Annotated[str, Meta(pattern=r"^[0-9 +]{2,20}$")] | None
    url: str | None
    hours: str
    country: Annotated[str, Meta(pattern=r"^[A-Z]{2}$")]
    languages: list[Literal["sv", "nb", "da", "en"]]
    kind: Kind
    # Where the number is published: an entry without a source is refused.
    source: Annotated[str, Meta(pattern=r"^https://")]
    description: Text | None = None


class ResourceFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    resources: list[CrisisResource]
    about: str = ""


class LocalResource(msgspec.Struct, frozen=True):
    """One resource as an account sees it: texts in its language."""

    id: str
    name: str
    description: str | None
    phone: str | None
    url: str | None
    hours: str
    country: str
    languages: list[str]
    kind: Kind
    source: str


def load_resources(path: Path | None = None) -> list[CrisisResource]:
    """The shipped list, or the deployment's file (FOTFESTE_CRISIS_RESOURCES) in its place."""
    path = path or RESOURCES_FILE
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
    return data.resources


def _text(text: Text | None, locale: str) -> str | None:
    if text is None:
        return None
    return text.get(locale) or text["en"]  # type: ignore[call-overload]


def resources_for(
    resources: list[CrisisResource], country: str | None, locale: str
) -> list[LocalResource]:
    """The resources of the account's country, those speaking its language first within a kind.

    An unknown country gets none rather than another country's numbers: the PWA then says to
    call the local emergency number.
    """
    assert locale in LOCALES
    chosen = [r for r in resources if country is not None and r.country == country]
    chosen.sort(key=lambda r: (_KIND_ORDER[r.kind], locale not in r.languages))
    return [
        LocalResource(
            id=r.id,
            name=_text(r.name, locale) or r.id,
            description=_text(r.description, locale),
            phone=r.phone,
            url=r.url,
            hours=r.hours,
            country=r.country,
            languages=list(r.languages),
            kind=r.kind,
            source=r.source,
        )
        for r in chosen
    ]
