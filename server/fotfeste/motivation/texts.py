"""The push an encouragement sends, in the person's language; discreet mode names nothing."""

from __future__ import annotations

import json

from fotfeste.push.service import check_payload

_TITLES = {
    "sv": "Någon som bryr sig om dig",
    "nb": "Noen som bryr seg om deg",
    "da": "En, der holder af dig",
    "en": "Someone who cares about you",
}
_BODIES = {
    "sv": {
        "proud": "Stolt över dig.",
        "thinking_of_you": "Tänker på dig.",
        "here_for_you": "Jag finns här om du behöver mig.",
    },
    "nb": {
        "proud": "Stolt av deg.",
        "thinking_of_you": "Tenker på deg.",
        "here_for_you": "Jeg er her hvis du trenger meg.",
    },
    "da": {
        "proud": "Stolt af dig.",
        "thinking_of_you": "Tænker på dig.",
        "here_for_you": "Jeg er her, hvis du har brug for mig.",
    },
    "en": {
        "proud": "Proud of you.",
        "thinking_of_you": "Thinking of you.",
        "here_for_you": "Here if you need me.",
    },
}
_MILESTONE = {
    "sv": ("En milstolpe", "Personen du stöttar har nått {days} dagar."),
    "nb": ("En milepæl", "Personen du støtter, har nådd {days} dager."),
    "da": ("En milepæl", "Personen, du støtter, har nået {days} dage."),
    "en": ("A milestone", "The person you support has reached {days} days."),
}
# The first milestone is a single day: "1 day", never "1 days".
_MILESTONE_ONE = {
    "sv": ("En milstolpe", "Personen du stöttar har nått 1 dag."),
    "nb": ("En milepæl", "Personen du støtter, har nådd 1 dag."),
    "da": ("En milepæl", "Personen, du støtter, har nået 1 dag."),
    "en": ("A milestone", "The person you support has reached 1 day."),
}
# The same neutral words as every discreet notification (push/texts.py).
_DISCREET = {
    "sv": ("Påminnelse", "Du har en ny påminnelse."),
    "nb": ("Påminnelse", "Du har en ny påminnelse."),
    "da": ("Påmindelse", "Du har en ny påmindelse."),
    "en": ("Reminder", "You have a new reminder."),
}


def encouragement(kind: str, locale: str, *, discreet: bool) -> str:
    lang = locale if locale in _TITLES else "en"
    title, body = _DISCREET[lang] if discreet else (_TITLES[lang], _BODIES[lang][kind])
    return _payload("encouragement", title, body, lang)


def _payload(kind: str, title: str, body: str, lang: str) -> str:
    """The JSON the service worker shows; both kinds open the supporters screen."""
    payload = {
        "title": title,
        "body": body,
        "kind": kind,
        "url": "/#/supporters",
        "tag": kind,
        "lang": lang,
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    check_payload(text.encode())
    return text


def supporter_milestone(days: int, locale: str, *, discreet: bool) -> str:
    """To a supporter: the person they support reached a milestone (never who, never more)."""
    lang = locale if locale in _MILESTONE else "en"
    texts = _MILESTONE_ONE if days == 1 else _MILESTONE
    title, body = _DISCREET[lang] if discreet else texts[lang]
    return _payload("supporter", title, body.format(days=days), lang)
