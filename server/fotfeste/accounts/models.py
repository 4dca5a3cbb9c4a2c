"""The API's shapes for anonymous accounts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

Role = Literal["self", "relative"]
Locale = Literal["sv", "nb", "da", "en"]
TimeZoneName = Annotated[str, Meta(min_length=1, max_length=64, examples=["Europe/Stockholm"])]
ReferralCode = Annotated[str, Meta(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9 -]+$")]
CountryCode = Annotated[str, Meta(pattern=r"^[A-Z]{2}$", examples=["SE"])]
RecoveryCodeText = Annotated[str, Meta(min_length=1, max_length=64)]


class AccountCreate(msgspec.Struct, forbid_unknown_fields=True):
    role: Role
    locale: Locale
    timezone: TimeZoneName
    referral_code: ReferralCode | None = None
    country: CountryCode | None = None


class AccountCreated(msgspec.Struct):
    account_id: str
    token: str
    recovery_code: Annotated[str, Meta(description="Shown once; the server keeps only a hash")]


class RecoverRequest(msgspec.Struct, forbid_unknown_fields=True):
    recovery_code: RecoveryCodeText
    keep_other_devices: Annotated[
        bool, Meta(description="Keep the other devices signed in (default: sign them out)")
    ] = False


class Recovered(msgspec.Struct):
    account_id: str
    token: str
    recovery_code: Annotated[str, Meta(description="A new one-time code; the used one is dead")]


class Profile(msgspec.Struct):
    account_id: str
    role: Role
    locale: Locale
    timezone: str
    country: str | None
    discreet: bool
    created_at: str
    today: Annotated[str, Meta(description="The current date in the account's time zone")]
    referral_code: str | None = None


class ProfilePatch(msgspec.Struct, forbid_unknown_fields=True):
    locale: Locale | UnsetType = UNSET
    timezone: TimeZoneName | UnsetType = UNSET
    country: CountryCode | UnsetType | None = UNSET
    discreet: bool | UnsetType = UNSET


class NewRecoveryCode(msgspec.Struct):
    recovery_code: str


class Device(msgspec.Struct):
    id: str
    created_at: str
    last_used_at: str
    current: bool


class Devices(msgspec.Struct):
    devices: list[Device]


class Export(msgspec.Struct):
    exported_at: str
    account_id: str
    tables: Annotated[
        dict[str, list[dict[str, Any]]],
        Meta(description="Every stored row about the account, table by table"),
    ]


class Account(msgspec.Struct, frozen=True):
    """The signed-in account as handlers see it (not an API shape)."""

    id: str
    role: str
    locale: str
    timezone: str
    country: str | None
    discreet: bool
    token_id: str
