"""Clearly fictional demo meetings in seven Nordic cities plus online ones (FOTFESTE_DEMO=1)."""

from __future__ import annotations

from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.meetings.importer import replace_source
from fotfeste.meetings.logic import ParsedMeeting, ParseResult

SOURCE = "demo"

# (city, zone, language type, street word, lat, lon)
_CITIES = (
    ("Stockholm", "Europe/Stockholm", "SV", "Exempelgatan", 59.3293, 18.0686),
    ("Göteborg", "Europe/Stockholm", "SV", "Påhittade vägen", 57.7089, 11.9746),
    ("Malmö", "Europe/Stockholm", "SV", "Låtsasgatan", 55.6050, 13.0038),
    ("Oslo", "Europe/Oslo", "NO", "Eksempelveien", 59.9139, 10.7522),
    ("Bergen", "Europe/Oslo", "NO", "Oppdiktet gate", 60.3913, 5.3221),
    ("København", "Europe/Copenhagen", "DA", "Eksempelvej", 55.6761, 12.5683),
    ("Aarhus", "Europe/Copenhagen", "DA", "Opdigtet Allé", 56.1629, 10.2039),
)
# (fellowship, name, types, time, small offset in degrees) — one a weekday per city.
_GROUPS: tuple[tuple[str, str, tuple[str, ...], str, tuple[float, float]], ...] = (
    ("AA", "Måndagsgruppen", ("O", "D"), "19:00", (0.004, 0.006)),
    ("NA", "Nya vägar", ("C", "ST"), "18:30", (-0.006, 0.003)),
    ("Al-Anon", "Anhöriggruppen", ("O", "D"), "18:00", (0.010, -0.008)),
    ("AA", "Lunchmötet", ("O", "SP"), "12:00", (-0.002, -0.011)),
    ("CA", "Steg för steg", ("O", "BE"), "19:30", (0.015, 0.012)),
    ("Nar-Anon", "Familjegruppen", ("C", "D"), "17:30", (-0.013, 0.017)),
    ("AA", "Helggruppen", ("O", "W"), "10:00", (0.021, -0.004)),
)
_ONLINE: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("AA", "Morgonkaffe online", ("O", "D", "SV"), "Europe/Stockholm", "07:30"),
    ("NA", "Nettmøtet", ("O", "ST", "NO"), "Europe/Oslo", "20:00"),
    ("AA", "Online-gruppen", ("C", "D", "DA"), "Europe/Copenhagen", "21:00"),
    ("Al-Anon", "Anhöriga på nätet", ("O", "SV"), "Europe/Stockholm", "19:00"),
    ("AA", "Nordic English online", ("O", "D", "EN"), "Europe/Stockholm", "18:00"),
    ("CA", "Sent på kvällen", ("O", "SV"), "Europe/Stockholm", "22:00"),
)
# Group names in the city's language (the order of _GROUPS).
_NAMES = {
    "SV": ("Måndagsgruppen", "Nya vägar", "Anhöriggruppen", "Lunchmötet", "Steg för steg",
           "Familjegruppen", "Helggruppen"),
    "NO": ("Mandagsgruppa", "Nye veier", "Pårørendegruppa", "Lunsjmøtet", "Trinn for trinn",
           "Familiegruppa", "Helgegruppa"),
    "DA": ("Mandagsgruppen", "Nye veje", "Pårørendegruppen", "Frokostmødet", "Trin for trin",
           "Familiegruppen", "Weekendgruppen"),
}  # fmt: skip
_NOTE = "Demo: this meeting is made up, to show how Fotfeste works. It does not exist."


def _add_hour(time: str) -> str:
    hour, minute = time.split(":")
    return f"{(int(hour) + 1) % 24:02d}:{minute}"


def demo_meetings() -> list[ParsedMeeting]:
    meetings = []
    for c, (city, zone, language, street, lat, lon) in enumerate(_CITIES):
        for g, (fellowship, _, types, time, (dlat, dlon)) in enumerate(_GROUPS):
            day = (g + c) % 7
            hybrid = (c + g) % 5 == 0
            meetings.append(
                ParsedMeeting(
                    source_key=f"{city}-{g}",
                    name=f"{_NAMES[language][g]} {city} (demo)",
                    day=day,
                    time=time,
                    end_time=_add_hour(time),
                    timezone=zone,
                    fellowship=fellowship,
                    types=(*types, language),
                    attendance="hybrid" if hybrid else "in_person",
                    location_name=f"Demohuset {city}",
                    address=f"{street} {g + 1}, {city}",
                    lat=round(lat + dlat, 5),
                    lon=round(lon + dlon, 5),
                    conference_url=f"https://meet.example.org/demo-{c}-{g}" if hybrid else None,
                    notes=_NOTE,
                )
            )
    for i, (fellowship, name, types, zone, time) in enumerate(_ONLINE):
        for day in range(7):
            meetings.append(
                ParsedMeeting(
                    source_key=f"online-{i}-{day}",
                    name=f"{name} (demo)",
                    day=day,
                    time=time,
                    end_time=_add_hour(time),
                    timezone=zone,
                    fellowship=fellowship,
                    types=types,
                    attendance="online",
                    conference_url=f"https://meet.example.org/demo-online-{i}",
                    notes=_NOTE,
                )
            )
    return meetings


async def load_demo_meetings(db: Database, clock: Clock) -> int:
    """Replace the demo source (idempotent: ids come from the fixed keys)."""
    meetings = demo_meetings()
    await replace_source(db, clock, SOURCE, "meeting-guide", "demo", ParseResult(meetings))
    return len(meetings)
