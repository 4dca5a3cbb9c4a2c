"""Notification texts in the account's language; discreet mode says only something neutral."""

from __future__ import annotations

import json

from fotfeste.push.logic import check_payload

# What a lock screen may show. Discreet texts name nothing: no drugs, sobriety, meetings or app.
_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "sv": {
        "checkin": (
            "Dags för dagens incheckning",
            "Hur har dagen varit? Det tar bara en halv minut.",
        ),
        "followup": ("Dags för en uppföljning", "Några korta frågor om hur det går för dig."),
        "meeting": ("Ditt möte börjar snart", "{name} börjar {time}."),
        "milestone": (
            "Grattis till {days} dagar!",
            "Du har kommit långt. Var stolt över dig själv.",
        ),
        "milestone_one": ("Grattis till 1 dag!", "Du har kommit långt. Var stolt över dig själv."),
        "test": ("Påminnelserna fungerar", "Så här kommer dina påminnelser att se ut."),
        "discreet": ("Påminnelse", "Du har en ny påminnelse."),
    },
    "nb": {
        "checkin": (
            "Tid for dagens innsjekk",
            "Hvordan har dagen vært? Det tar bare et halvt minutt.",
        ),
        "followup": ("Tid for en oppfølging", "Noen korte spørsmål om hvordan det går med deg."),
        "meeting": ("Møtet ditt begynner snart", "{name} begynner {time}."),
        "milestone": (
            "Gratulerer med {days} dager!",
            "Du har kommet langt. Vær stolt av deg selv.",
        ),
        "milestone_one": ("Gratulerer med 1 dag!", "Du har kommet langt. Vær stolt av deg selv."),
        "test": ("Påminnelsene virker", "Slik kommer påminnelsene dine til å se ut."),
        "discreet": ("Påminnelse", "Du har en ny påminnelse."),
    },
    "da": {
        "checkin": (
            "Tid til dagens check-in",
            "Hvordan har din dag været? Det tager kun et halvt minut.",
        ),
        "followup": (
            "Tid til en opfølgning",
            "Et par korte spørgsmål om, hvordan det går med dig.",
        ),
        "meeting": ("Dit møde begynder snart", "{name} begynder {time}."),
        "milestone": ("Tillykke med {days} dage!", "Du er nået langt. Vær stolt af dig selv."),
        "milestone_one": ("Tillykke med 1 dag!", "Du er nået langt. Vær stolt af dig selv."),
        "test": ("Påmindelserne virker", "Sådan kommer dine påmindelser til at se ud."),
        "discreet": ("Påmindelse", "Du har en ny påmindelse."),
    },
    "en": {
        "checkin": ("Time for today's check-in", "How has your day been? It takes half a minute."),
        "followup": ("Time for a follow-up", "A few short questions about how things are going."),
        "meeting": ("Your meeting starts soon", "{name} starts at {time}."),
        "milestone": ("Congratulations on {days} days!", "You have come a long way. Be proud."),
        "milestone_one": ("Congratulations on 1 day!", "You have come a long way. Be proud."),
        "test": ("Reminders are working", "This is how your reminders will look."),
        "discreet": ("Reminder", "You have a new reminder."),
    },
}


def notification(
    kind: str, locale: str, *, discreet: bool, url: str, params: dict[str, str] | None = None
) -> str:
    """The JSON payload the service worker shows: title, body, kind and the screen to open."""
    texts = _TEXTS.get(locale, _TEXTS["en"])
    # A count of one day has its own words (the first milestone): "1 day", never "1 days".
    one = f"{kind}_one" if params and params.get("days") == "1" else kind
    title, body = texts["discreet"] if discreet else texts.get(one, texts[kind])
    if not discreet and params:
        title, body = title.format(**params), body.format(**params)
    payload = {"title": title, "body": body, "kind": kind, "url": url, "tag": kind, "lang": locale}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    check_payload(text.encode())
    return text
