"""Meeting Guide type codes with their names in Swedish, Norwegian Bokmål, Danish and English."""

# ruff: noqa: E501 - a table reads best one code a line

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Codes from the Meeting Guide specification (Code for Recovery, MIT licence); names written for
# Fotfeste. Order of each row: sv, nb, da, en.
TYPE_NAMES: dict[str, tuple[str, str, str, str]] = {
    "11": ("Meditation över elfte steget", "Meditasjon over 11. trinn", "Meditation over 11. trin", "11th Step Meditation"),
    "12x12": ("12 steg och 12 traditioner", "12 trinn og 12 tradisjoner", "12 trin og 12 traditioner", "12 Steps & 12 Traditions"),
    "A": ("Sekulärt", "Sekulært", "Sekulært", "Secular"),
    "ABSI": ("Som Bill ser det", "Slik Bill ser det", "Som Bill ser det", "As Bill Sees It"),
    "AF": ("Afrikaans", "Afrikaans", "Afrikaans", "Afrikaans"),
    "AL": ("Samtidigt med Alateen", "Samtidig med Alateen", "Samtidig med Alateen", "Concurrent with Alateen"),
    "AL-AN": ("Samtidigt med Al-Anon", "Samtidig med Al-Anon", "Samtidig med Al-Anon", "Concurrent with Al-Anon"),
    "AM": ("Amhariska", "Amharisk", "Amharisk", "Amharic"),
    "AR": ("Arabiska", "Arabisk", "Arabisk", "Arabic"),
    "ASL": ("Amerikanskt teckenspråk", "Amerikansk tegnspråk", "Amerikansk tegnsprog", "American Sign Language"),
    "B": ("Stora boken", "Den store boken", "Den Store Bog", "Big Book"),
    "BA": ("Barnpassning finns", "Barnepass tilgjengelig", "Børnepasning muligt", "Babysitting Available"),
    "BE": ("För nykomlingar", "For nykommere", "For nykomne", "Newcomer"),
    "BG": ("Bulgariska", "Bulgarsk", "Bulgarsk", "Bulgarian"),
    "BI": ("Bisexuella", "Bifile", "Biseksuelle", "Bisexual"),
    "BRK": ("Frukost", "Frokost", "Morgenmad", "Breakfast"),
    "C": ("Slutet möte", "Lukket møte", "Lukket møde", "Closed"),
    "CAN": ("Levande ljus", "Levende lys", "Levende lys", "Candlelight"),
    "CF": ("Barnvänligt", "Barnevennlig", "Børnevenligt", "Child-Friendly"),
    "D": ("Diskussion", "Diskusjon", "Diskussion", "Discussion"),
    "DA": ("Danska", "Dansk", "Dansk", "Danish"),
    "DB": ("Digital insamling", "Digital innsamling", "Digital indsamling", "Digital Basket"),
    "DD": ("Dubbeldiagnos", "Dobbeltdiagnose", "Dobbeltdiagnose", "Dual Diagnosis"),
    "DE": ("Tyska", "Tysk", "Tysk", "German"),
    "DR": ("Dagliga reflektioner", "Daglige refleksjoner", "Daglige refleksioner", "Daily Reflections"),
    "EL": ("Grekiska", "Gresk", "Græsk", "Greek"),
    "EN": ("Engelska", "Engelsk", "Engelsk", "English"),
    "FA": ("Persiska", "Persisk", "Persisk", "Persian"),
    "FI": ("Finska", "Finsk", "Finsk", "Finnish"),
    "FF": ("Doftfritt", "Duftfritt", "Duftfrit", "Fragrance Free"),
    "FR": ("Franska", "Fransk", "Fransk", "French"),
    "G": ("Gay", "Homofile", "Bøsser", "Gay"),
    "GR": ("Grapevine", "Grapevine", "Grapevine", "Grapevine"),
    "H": ("Födelsedag", "Bursdag", "Fødselsdag", "Birthday"),
    "HE": ("Hebreiska", "Hebraisk", "Hebraisk", "Hebrew"),
    "HI": ("Hindi", "Hindi", "Hindi", "Hindi"),
    "HR": ("Kroatiska", "Kroatisk", "Kroatisk", "Croatian"),
    "HU": ("Ungerska", "Ungarsk", "Ungarsk", "Hungarian"),
    "IS": ("Isländska", "Islandsk", "Islandsk", "Icelandic"),
    "ITA": ("Italienska", "Italiensk", "Italiensk", "Italian"),
    "JA": ("Japanska", "Japansk", "Japansk", "Japanese"),
    "KA": ("Georgiska", "Georgisk", "Georgisk", "Georgian"),
    "KOR": ("Koreanska", "Koreansk", "Koreansk", "Korean"),
    "L": ("Lesbiska", "Lesbiske", "Lesbiske", "Lesbian"),
    "LGBTQ": ("HBTQ", "LHBT", "LGBT+", "LGBTQ"),
    "LIT": ("Litteratur", "Litteratur", "Litteratur", "Literature"),
    "LS": ("Att leva nykter", "Å leve edru", "At leve ædru", "Living Sober"),
    "LT": ("Litauiska", "Litauisk", "Litauisk", "Lithuanian"),
    "M": ("Mansmöte", "Mannsmøte", "Mandemøde", "Men"),
    "MED": ("Meditation", "Meditasjon", "Meditation", "Meditation"),
    "ML": ("Malayalam", "Malayalam", "Malayalam", "Malayalam"),
    "MT": ("Maltesiska", "Maltesisk", "Maltesisk", "Maltese"),
    "N": ("Amerikanska urfolk", "Amerikansk urfolk", "Amerikansk oprindeligt folk", "Native American"),
    "NB": ("Icke-binära", "Ikke-binære", "Ikke-binære", "Non-Binary"),
    "NDG": ("Urfolk", "Urfolk", "Oprindelige folk", "Indigenous"),
    "NE": ("Nepali", "Nepali", "Nepali", "Nepali"),
    "NL": ("Nederländska", "Nederlandsk", "Hollandsk", "Dutch"),
    "NO": ("Norska", "Norsk", "Norsk", "Norwegian"),
    "O": ("Öppet möte", "Åpent møte", "Åbent møde", "Open"),
    "OUT": ("Utomhus", "Utendørs", "Udendørs", "Outdoor"),
    "P": ("Yrkesverksamma", "Yrkesaktive", "Fagfolk", "Professionals"),
    "POA": ("Närvarointyg", "Oppmøtebekreftelse", "Fremmødebevis", "Proof of Attendance"),
    "POC": ("Rasifierade", "Ikke-hvite", "Ikke-hvide", "People of Color"),
    "POL": ("Polska", "Polsk", "Polsk", "Polish"),
    "POR": ("Portugisiska", "Portugisisk", "Portugisisk", "Portuguese"),
    "PUN": ("Punjabi", "Punjabi", "Punjabi", "Punjabi"),
    "RUS": ("Ryska", "Russisk", "Russisk", "Russian"),
    "S": ("Spanska", "Spansk", "Spansk", "Spanish"),
    "SEN": ("Seniorer", "Seniorer", "Seniorer", "Seniors"),
    "SK": ("Slovakiska", "Slovakisk", "Slovakisk", "Slovak"),
    "SL": ("Slovenska", "Slovensk", "Slovensk", "Slovenian"),
    "SM": ("Rökning tillåten", "Røyking tillatt", "Rygning tilladt", "Smoking Permitted"),
    "SP": ("Talarmöte", "Talermøte", "Talermøde", "Speaker"),
    "ST": ("Stegmöte", "Trinnmøte", "Trinmøde", "Step Study"),
    "SV": ("Svenska", "Svensk", "Svensk", "Swedish"),
    "T": ("Transpersoner", "Transpersoner", "Transpersoner", "Transgender"),
    "TC": ("Lokalen tillfälligt stängd", "Lokalet midlertidig stengt", "Lokalet midlertidigt lukket", "Location Temporarily Closed"),
    "TH": ("Thailändska", "Thai", "Thai", "Thai"),
    "TL": ("Tagalog", "Tagalog", "Tagalog", "Tagalog"),
    "TR": ("Traditionsmöte", "Tradisjonsmøte", "Traditionsmøde", "Tradition Study"),
    "TUR": ("Turkiska", "Tyrkisk", "Tyrkisk", "Turkish"),
    "UK": ("Ukrainska", "Ukrainsk", "Ukrainsk", "Ukrainian"),
    "W": ("Kvinnomöte", "Kvinnemøte", "Kvindemøde", "Women"),
    "X": ("Rullstolsanpassat", "Tilgjengelig for rullestol", "Kørestolsvenligt", "Wheelchair Access"),
    "XB": ("Rullstolsanpassad toalett", "Rullestoltilpasset toalett", "Handicaptoilet", "Wheelchair-Accessible Bathroom"),
    "XT": ("Kommentarer till varandra tillåtna", "Kommentarer til hverandre tillatt", "Kommentarer til hinanden tilladt", "Cross Talk Permitted"),
    "Y": ("Unga", "Unge", "Unge", "Young People"),
}  # fmt: skip

LOCALES = ("sv", "nb", "da", "en")

# Language types, keyed by the ISO 639-1 code a client filters with.
LANGUAGE_TYPES: dict[str, str] = {
    "sv": "SV", "nb": "NO", "no": "NO", "da": "DA", "en": "EN", "fi": "FI", "de": "DE",
    "fr": "FR", "es": "S", "pl": "POL", "ru": "RUS", "uk": "UK", "ar": "AR", "fa": "FA",
    "is": "IS", "it": "ITA", "pt": "POR", "tr": "TUR", "nl": "NL", "el": "EL", "hu": "HU",
}  # fmt: skip


def type_names(locale: str) -> dict[str, str]:
    """Every known code with its name in one of the four languages."""
    column = LOCALES.index(locale)
    return {code: names[column] for code, names in TYPE_NAMES.items()}


# Not type codes but how a meeting is attended, which links and places decide: consumed quietly.
ATTENDANCE_WORDS = frozenset(
    {"ONL", "ONLINE", "ONLINE MEETING", "VIRTUAL", "IN PERSON", "IN-PERSON", "HYBRID", "ACTIVE"}
)
# Other names feeds use (the 12 Step Meeting List plugin's aliases among them).
_ALIASES = {
    "SIGN LANGUAGE": "ASL", "OUTDOOR MEETING": "OUT", "STEP MEETING": "ST", "BEGINNER": "BE",
    "BEGINNERS": "BE", "NEWCOMERS": "BE", "SPEAKER MEETING": "SP", "TEMPORARILY CLOSED": "TC",
    "WOMEN'S": "W", "MEN'S": "M", "WHEELCHAIR ACCESSIBLE": "X", "SPANISH SPEAKING": "S",
}  # fmt: skip
_BY_CODE = {code.upper(): code for code in TYPE_NAMES}
_BY_NAME = {name.upper(): code for code, names in TYPE_NAMES.items() for name in names} | _ALIASES
_MAX_TYPES = 30
_SPLIT = re.compile(r"[,;|]")


def canonical_type(value: str) -> str | None:
    """A type code as a client writes it ("o", "O", "12X12") as stored ("O", "12x12"); None
    for a code no meeting can have (imports keep only known codes)."""
    return _BY_CODE.get(value.strip().upper())


def _lookup(value: str) -> tuple[str | None, bool]:
    """(code, read from a name) for one type value; (None, False) when nothing fits."""
    upper = " ".join(value.upper().split())
    if upper in _BY_CODE:
        return _BY_CODE[upper], False
    for candidate in (upper, upper.removesuffix(" MEETING"), upper.removesuffix(" MÖTE")):
        if candidate in _BY_NAME:
            return _BY_NAME[candidate], True
    return None, False


def read_types(value: Any) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """Meeting Guide `types` as codes: (codes, corrected, values that map to nothing).

    A list of codes is the specification; a string ("[open]", "O, D, ONL") or names ("open",
    "Speaker", "Öppet möte") become the same codes and count as corrected. Values that fit no
    code are left out, never stored as a code.
    """
    if value is None or value == "":
        return (), False, ()
    if isinstance(value, str):
        return _read_string(value[:2000])
    if isinstance(value, list):
        return _read_items(tuple(value[:_MAX_ITEMS]), False)
    return (), False, (str(value)[:40],)


_MAX_ITEMS = 100


@lru_cache(maxsize=4096)
def _read_string(value: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    return _read_items(tuple(_SPLIT.split(value.strip().strip("[]"))), True)


def _read_items(
    items: tuple[Any, ...], corrected: bool
) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    # Feeds repeat their type lists: lists of strings are read once each (cached).
    if all(type(item) is str for item in items):
        return _read_names(items, corrected)
    return _read_uncached(items, corrected)


@lru_cache(maxsize=4096)
def _read_names(
    items: tuple[str, ...], corrected: bool
) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    return _read_uncached(items, corrected)


def _read_uncached(
    items: tuple[Any, ...], corrected: bool
) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    codes: list[str] = []
    unmapped: list[str] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            unmapped.append(str(item)[:40])
            continue
        cleaned = item.strip().strip("[]\"'").strip()
        if not cleaned:
            continue
        code, by_name = _lookup(cleaned)
        if code is None:
            if " ".join(cleaned.upper().split()) not in ATTENDANCE_WORDS:
                unmapped.append(cleaned[:40])
            continue
        corrected = corrected or by_name
        codes.append(code)
    return tuple(dict.fromkeys(codes))[:_MAX_TYPES], corrected, tuple(unmapped)
