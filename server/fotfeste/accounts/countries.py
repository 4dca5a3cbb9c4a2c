"""The countries an account may name: ISO 3166-1 alpha-2 codes assigned today."""

from __future__ import annotations

from fotfeste.errors import InvalidInput

# From tzdata's iso3166.tab (public domain), current as of ISO/TC 46 N1108 (2023-04-05): the
# codes a person's country can be; "XX" or a retired code would pick no crisis line and no
# currency, so it is refused rather than stored.
COUNTRIES: frozenset[str] = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
    """.split()  # noqa: SIM905 - the table as tzdata prints it, easy to compare
)


def valid_country(code: str | None) -> str | None:
    """An assigned ISO 3166-1 alpha-2 code (or None); anything else is refused by name."""
    if code is not None and code not in COUNTRIES:
        raise InvalidInput(
            f"Unknown country {code!r}; use an ISO 3166-1 code such as SE, NO or DK",
            field="country",
        )
    return code
