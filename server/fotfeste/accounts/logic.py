"""Pure rules for anonymous accounts: recovery codes and time zones."""

from __future__ import annotations

import secrets
from functools import cache
from zoneinfo import available_timezones

from fotfeste.errors import InvalidInput

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
LOOKUP_CHARS = 8  # 40 bits: finds the account, not secret on its own
SECRET_CHARS = 16  # 80 bits: kept only as an argon2id hash
GROUP = 4


class RecoveryCode:
    """A code as shown to a person (groups of four) with its lookup and secret parts."""

    __slots__ = ("lookup", "secret")

    def __init__(self, lookup: str, secret: str) -> None:
        self.lookup = lookup
        self.secret = secret

    @classmethod
    def generate(cls) -> RecoveryCode:
        def chars(n: int) -> str:
            return "".join(secrets.choice(ALPHABET) for _ in range(n))

        return cls(chars(LOOKUP_CHARS), chars(SECRET_CHARS))

    @classmethod
    def parse(cls, text: str) -> RecoveryCode:
        """Read a code as typed: any case, spaces or dashes, O for 0 and I or L for 1."""
        compact = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
        if len(compact) != LOOKUP_CHARS + SECRET_CHARS or any(c not in ALPHABET for c in compact):
            raise InvalidInput(
                f"A recovery code has {LOOKUP_CHARS + SECRET_CHARS} letters and digits",
                field="recovery_code",
            )
        return cls(compact[:LOOKUP_CHARS], compact[LOOKUP_CHARS:])

    def __str__(self) -> str:
        compact = self.lookup + self.secret
        return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


# Zones and languages of the countries Fotfeste serves first; elsewhere the person picks.
_ZONE_COUNTRY = {
    "Europe/Stockholm": "SE",
    "Europe/Oslo": "NO",
    "Arctic/Longyearbyen": "NO",
    "Europe/Copenhagen": "DK",
    "Atlantic/Faroe": "FO",
    "America/Nuuk": "GL",
}
_LOCALE_COUNTRY = {"sv": "SE", "nb": "NO", "da": "DK"}


def guess_country(timezone: str, locale: str) -> str | None:
    """The country a new account most likely lives in: its time zone first, then its language."""
    return _ZONE_COUNTRY.get(timezone) or _LOCALE_COUNTRY.get(locale)


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_timezone(name: str) -> str:
    """An IANA zone name that zoneinfo knows; anything else is refused."""
    if name not in _known_zones():
        raise InvalidInput(
            f"Unknown time zone {name!r}; use an IANA name such as Europe/Oslo", field="timezone"
        )
    return name
