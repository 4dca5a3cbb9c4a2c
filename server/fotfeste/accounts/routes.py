"""HTTP for anonymous accounts: create, recover, profile, devices, export, delete."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from msgspec import UNSET

from fotfeste.accounts import store
from fotfeste.accounts.auth import requires_account
from fotfeste.accounts.countries import valid_country
from fotfeste.accounts.events import ProfileListener
from fotfeste.accounts.logic import RecoveryCode, guess_country, valid_timezone
from fotfeste.accounts.models import (
    AccountCreate,
    AccountCreated,
    Device,
    Devices,
    Export,
    NewRecoveryCode,
    Profile,
    ProfilePatch,
    Recovered,
    RecoverRequest,
)
from fotfeste.clock import Clock, isoformat_utc, local_today
from fotfeste.db import Database
from fotfeste.web.deps import DB, AppClock, CurrentAccount
from fotfeste.web.throttle import public, throttled


async def _profile(db: Database, clock: Clock, account_id: str) -> Profile:
    row = await store.profile_row(db, account_id)
    return Profile(
        account_id=row["id"],
        role=row["role"],
        locale=row["locale"],
        timezone=row["timezone"],
        country=row["country"],
        discreet=bool(row["discreet"]),
        created_at=row["created_at"],
        today=local_today(clock, row["timezone"]).isoformat(),
        referral_code=row["referral_code"],
    )


class AccountsController(Controller):
    path = "/api/accounts"
    tags = ["accounts"]
    guards = [public]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        operation_id="createAccount",
        guards=[throttled("account_create")],
    )
    async def create(
        self, data: JSONBody[AccountCreate], db: DB, clock: AppClock
    ) -> AccountCreated:
        """Create an anonymous account; nothing personal is asked. The recovery code shows once."""
        account_id, token, code = await store.create_account(
            db,
            clock,
            role=data.role,
            locale=data.locale,
            timezone=valid_timezone(data.timezone),
            country=valid_country(data.country) or guess_country(data.timezone, data.locale),
            referral_code=data.referral_code,
        )
        return AccountCreated(account_id=account_id, token=token, recovery_code=str(code))

    @post(
        "/recover",
        status_code=HTTP_200_OK,
        operation_id="recoverAccount",
        guards=[throttled("recover")],
    )
    async def recover(self, data: JSONBody[RecoverRequest], db: DB, clock: AppClock) -> Recovered:
        """Move an account to this device with its one-time recovery code; a new code is issued."""
        account_id, token, fresh = await store.recover(
            db,
            clock,
            RecoveryCode.parse(data.recovery_code),
            keep_other_devices=data.keep_other_devices,
        )
        return Recovered(account_id=account_id, token=token, recovery_code=str(fresh))


class MeController(Controller):
    path = "/api/me"
    tags = ["accounts"]
    guards = [requires_account]

    @get("/", operation_id="getProfile")
    async def show(self, account: CurrentAccount, db: DB, clock: AppClock) -> Profile:
        """The signed-in account's profile."""
        return await _profile(db, clock, account.id)

    @patch("/", operation_id="updateProfile")
    async def update(
        self,
        data: JSONBody[ProfilePatch],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        profile_listeners: NamedDependency[list[ProfileListener]],
    ) -> Profile:
        """Change language, time zone or discreet mode."""
        changes: dict[str, Any] = {
            name: value
            for name in ("locale", "timezone", "country", "discreet")
            if (value := getattr(data, name)) is not UNSET
        }
        if "timezone" in changes:
            valid_timezone(changes["timezone"])
        if "country" in changes:
            valid_country(changes["country"])
        await store.update_profile(db, account.id, changes)
        changed = msgspec.structs.replace(account, **changes)
        for listener in profile_listeners:
            await listener(db, clock, changed)
        return await _profile(db, clock, account.id)

    @post("/recovery-code", status_code=HTTP_200_OK, operation_id="renewRecoveryCode")
    async def renew_recovery_code(self, account: CurrentAccount, db: DB) -> NewRecoveryCode:
        """Issue a new recovery code; the old one stops working."""
        return NewRecoveryCode(recovery_code=str(await store.renew_recovery_code(db, account.id)))

    @get("/devices", operation_id="listDevices")
    async def devices(self, account: CurrentAccount, db: DB) -> Devices:
        """The devices (tokens) signed in to this account."""
        rows = await store.devices(db, account.id)
        return Devices(
            devices=[
                Device(
                    id=r["id"],
                    created_at=r["created_at"],
                    last_used_at=r["last_used_at"],
                    current=r["id"] == account.token_id,
                )
                for r in rows
            ]
        )

    @delete(
        "/devices/{device_id:str}", status_code=HTTP_204_NO_CONTENT, operation_id="revokeDevice"
    )
    async def revoke_device(
        self, device_id: FromPath[str], account: CurrentAccount, db: DB
    ) -> None:
        """Sign a device out."""
        await store.revoke_device(db, account.id, device_id)

    @get("/export", operation_id="exportAccount")
    async def export(self, account: CurrentAccount, db: DB, clock: AppClock) -> Export:
        """Every stored fact about the account, as JSON."""
        return Export(
            exported_at=isoformat_utc(clock.now()),
            account_id=account.id,
            tables=await store.export(db, account.id),
        )

    @delete("/", status_code=HTTP_204_NO_CONTENT, operation_id="deleteAccount")
    async def delete(self, account: CurrentAccount, db: DB) -> None:
        """Delete the account and all its data, immediately and completely."""
        await store.delete_account(db, account.id)
