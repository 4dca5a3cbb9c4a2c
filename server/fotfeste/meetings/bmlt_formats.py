"""BMLT formats into Meeting Guide codes, languages and attendance, by NAWS world id first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fotfeste.meetings.fields import text
from fotfeste.meetings.types import TYPE_NAMES

# NAWS world ids (language-independent) to Meeting Guide codes; others have no equivalent.
WORLD_TO_TYPE: dict[str, str] = {
    "OPEN": "O", "CLOSED": "C", "BEG": "BE", "DISC": "D", "SPK": "SP", "STEP": "ST",
    "TRAD": "TR", "LIT": "LIT", "BT": "LIT", "JFT": "LIT", "IW": "LIT", "IP": "LIT", "LC": "LIT",
    "SPAD": "LIT", "MED": "MED", "W": "W", "M": "M", "Y": "Y", "GL": "LGBTQ", "WCHR": "X",
    "CAN": "CAN", "CW": "CF", "SMOK": "SM", "TC": "TC",
}  # fmt: skip
# Known world ids without a Meeting Guide code: mapped, to nothing.
WORLD_WITHOUT_TYPE = frozenset(
    {"VAR", "TOP", "SWG", "QA", "CH", "NC", "NS", "CPT", "RA", "GP", "PI", "BL"}
)
ONLINE_WORLD, HYBRID_WORLD, LANGUAGE_WORLD = "VM", "HYBR", "LANG"

# Language keys and names (the names of GetFormats with lang_enum=en) to Meeting Guide codes.
_LANGUAGE_KEYS: dict[str, str] = {
    "EN": "EN", "ENG": "EN", "DE": "DE", "GER": "DE", "DEU": "DE", "RU": "RUS", "RUS": "RUS",
    "FA": "FA", "PER": "FA", "FAS": "FA", "PL": "POL", "POL": "POL", "DA": "DA", "DAN": "DA",
    "DK": "DA", "SV": "SV", "SWE": "SV", "NO": "NO", "NOR": "NO", "NB": "NO", "FI": "FI",
    "FIN": "FI", "ES": "S", "SPA": "S", "FR": "FR", "FRA": "FR", "FRE": "FR", "IT": "ITA",
    "ITA": "ITA", "PT": "POR", "POR": "POR", "TR": "TUR", "TUR": "TUR", "AR": "AR", "ARA": "AR",
    "LT": "LT", "LIT": "LT", "UK": "UK", "UKR": "UK", "NL": "NL", "NLD": "NL", "DUT": "NL",
    "EL": "EL", "GRE": "EL", "HU": "HU", "HUN": "HU", "IS": "IS", "ISL": "IS", "JA": "JA",
    "JPN": "JA", "KO": "KOR", "KOR": "KOR", "HE": "HE", "HEB": "HE", "HI": "HI", "HR": "HR",
    "BG": "BG", "SK": "SK", "SL": "SL", "TH": "TH", "KA": "KA", "AF": "AF", "MT": "MT",
    "ASL": "ASL",
}  # fmt: skip
_LANGUAGE_CODES = frozenset(_LANGUAGE_KEYS.values())
_LANGUAGE_NAMES: dict[str, str] = {
    names[3].lower(): code for code, names in TYPE_NAMES.items() if code in _LANGUAGE_CODES
} | {"farsi": "FA", "deutsch": "DE", "español": "S", "espanol": "S", "english speaking": "EN"}
# A format without a world id maps by key only with the name the key stands for in BMLT's
# default English set: a server whose "O" means "Online" must not turn online meetings open.
_KEY_FALLBACK: dict[str, tuple[str, str]] = {
    "O": ("O", "open"), "C": ("C", "closed"), "B": ("BE", "beginner"), "D": ("D", "discussion"),
    "W": ("W", "women"), "M": ("M", "men"), "YP": ("Y", "young"), "WC": ("X", "wheelchair"),
    "CL": ("CAN", "candle"), "ME": ("MED", "meditation"), "SL": ("ASL", "asl"),
    "ST": ("ST", "step"), "TR": ("TR", "tradition"), "TC": ("TC", "temporar"),
}  # fmt: skip
_ONLINE_WORDS = ("online", "virtual", "internet", "web", "zoom")


@dataclass(frozen=True, slots=True)
class FormatInfo:
    codes: tuple[str, ...] = ()
    online: bool = False
    hybrid: bool = False


def _languages(key: str | None, name: str | None) -> tuple[str, ...]:
    codes: list[str] = []
    if key and key.upper() in _LANGUAGE_KEYS:
        codes.append(_LANGUAGE_KEYS[key.upper()])
    for part in (name or "").lower().replace("/", ",").replace(" and ", ",").split(","):
        words = part.strip().removesuffix(" speaking").removesuffix(" language").strip()
        if words in _LANGUAGE_NAMES:
            codes.append(_LANGUAGE_NAMES[words])
    return tuple(dict.fromkeys(codes))


def describe(entry: dict[str, Any]) -> FormatInfo:
    """What one format means: codes, languages, or how the meeting is attended."""
    world = (text(entry.get("world_id"), 20) or "").upper()
    key = text(entry.get("key_string"), 20)
    name = (text(entry.get("name_string"), 200) or "").lower()
    kind = (text(entry.get("format_type_enum"), 20) or "").upper()
    if world == ONLINE_WORLD or (not world and any(w in name for w in _ONLINE_WORDS)):
        return FormatInfo(online=True)
    if world == HYBRID_WORLD or (not world and "hybrid" in name):
        return FormatInfo(hybrid=True)
    if world in WORLD_TO_TYPE:
        return FormatInfo((WORLD_TO_TYPE[world],))
    if world == LANGUAGE_WORLD or kind == "LANG" or world in _LANGUAGE_KEYS:
        return FormatInfo(_languages(world if world in _LANGUAGE_KEYS else key, name))
    if world in WORLD_WITHOUT_TYPE or world:
        return FormatInfo()
    fallback = _KEY_FALLBACK.get((key or "").upper())
    if fallback is not None and (not name or fallback[1] in name):
        return FormatInfo((fallback[0],))
    return FormatInfo(_languages(None, name))


def format_tables(formats: list[Any]) -> tuple[dict[str, FormatInfo], dict[str, FormatInfo]]:
    """(by shared id, by key string); a key is kept only where all its formats agree."""
    by_id: dict[str, FormatInfo] = {}
    by_key: dict[str, FormatInfo | None] = {}
    for entry in formats:
        if not isinstance(entry, dict):
            continue
        info = describe(entry)
        if (format_id := text(entry.get("id"), 20)) is not None:
            by_id[format_id] = info
        if (key := text(entry.get("key_string"), 20)) is not None:
            # One key, two meanings (two languages, two servers): not a key to go by.
            by_key[key] = info if by_key.get(key, info) == info else None
    return by_id, {k: v for k, v in by_key.items() if v is not None}


@dataclass(frozen=True, slots=True)
class MeetingFormats:
    codes: tuple[str, ...]
    online: bool
    hybrid: bool
    unmapped: bool  # a format no list explains


def meeting_formats(
    record: dict[str, Any], by_id: dict[str, FormatInfo], by_key: dict[str, FormatInfo]
) -> MeetingFormats:
    """A meeting's formats through shared ids (language-independent), else its key strings."""
    shared = text(record.get("format_shared_id_list"))
    if shared:
        refs, table = shared.split(","), by_id
    else:
        refs, table = (text(record.get("formats")) or "").split(","), by_key
    infos = [table.get(ref.strip()) for ref in refs if ref.strip()]
    codes = [code for info in infos if info for code in info.codes]
    return MeetingFormats(
        codes=tuple(dict.fromkeys(codes)),
        online=any(info.online for info in infos if info),
        hybrid=any(info.hybrid for info in infos if info),
        unmapped=any(info is None for info in infos),
    )
