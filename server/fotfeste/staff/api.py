"""The person's side: what a referral code stands for, and linking to (or leaving) a clinic."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from fotfeste.accounts import service as accounts
from fotfeste.accounts.service import requires_account
from fotfeste.clock import isoformat_utc, local_today
from fotfeste.db import Database
from fotfeste.errors import NotFound
from fotfeste.scales.service import set_programme
from fotfeste.staff import logic, store
from fotfeste.staff.models import (
    NEVER_SHARED,
    SHARED,
    ClinicLink,
    Contacts,
    HomeArea,
    LinkRequest,
    Referral,
)
from fotfeste.web import throttle
from fotfeste.web.deps import DB, AppClock, CurrentAccount
from fotfeste.web.throttle import public, throttled


def _contacts(row: Any) -> Contacts:
    return Contacts(
        phone=row["contact_phone"], hours=row["contact_hours"], address=row["contact_address"]
    )


def _home(row: Any) -> HomeArea:
    return HomeArea(name=row["home_area"], lat=row["home_lat"], lon=row["home_lon"])


async def _active_code(db: Database, text: str) -> Any:
    code = logic.normalise_referral_code(text)
    row = await store.public_code(db, code) if code else None
    if row is None:
        raise NotFound("No such referral code, or it is no longer in use", field="code")
    return row


class ReferralsController(Controller):
    path = "/api/referrals"
    tags = ["clinics"]
    guards = [public]

    # Counted in "public" like every anonymous route, and with the clinic link per address: a
    # 404 here tells that a code does not exist, as the link's answer does.
    @get("/{code:str}", operation_id="getReferral", guards=[throttled("clinic_link")])
    async def show(self, code: FromPath[str], db: DB) -> Referral:
        """What a code stands for: the clinic, the programme, its contacts and exactly what is
        shared. Public (the code is printed on a card); revoked codes are 404."""
        row = await _active_code(db, code)
        return Referral(
            code=row["code"],
            clinic=row["clinic_name"],
            programme=row["programme"],
            contacts=_contacts(row),
            home_area=_home(row),
            shared=SHARED,
            never_shared=NEVER_SHARED,
            min_group=logic.MIN_CELL,
        )


class ClinicLinkController(Controller):
    path = "/api/me/clinic-link"
    tags = ["clinics"]
    guards = [requires_account]

    @get("/", operation_id="getClinicLink")
    async def show(self, account: CurrentAccount, db: DB) -> ClinicLink:
        """The account's clinic link, or a code typed at onboarding that awaits an answer."""
        return await _link(db, account.id)

    @post("/", status_code=HTTP_200_OK, operation_id="answerClinicLink")
    async def answer(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LinkRequest],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
    ) -> ClinicLink:
        """Accept (link the account, and follow the programme's schedule from today) or decline.
        Limited per account and per client address, like recovery: the answer tells whether a
        code exists."""
        await throttle.count(request, "clinic_link")
        await throttle.count(request, "clinic_link_account", key=account.id)
        row = await _active_code(db, data.code)
        await store.answer(
            db, account.id, row["code"], accept=data.accept, now=isoformat_utc(clock.now())
        )
        if data.accept:
            today = local_today(clock, account.timezone)
            await set_programme(db, account.id, row["programme"], today)
        return await _link(db, account.id)

    @delete("/", status_code=HTTP_204_NO_CONTENT, operation_id="deleteClinicLink")
    async def unlink(self, account: CurrentAccount, db: DB) -> None:
        """Leave the clinic: from now on the account counts in none of its figures."""
        await store.unlink(db, account.id)


async def _link(db: Database, account_id: str) -> ClinicLink:
    row = await store.link_of(db, account_id)
    if row is not None:
        return ClinicLink(
            linked=True,
            code=row["code"],
            clinic=row["clinic_name"],
            programme=row["programme"],
            contacts=_contacts(row),
            home_area=_home(row),
            linked_at=row["linked_at"],
        )
    typed = (await accounts.profile_row(db, account_id))["referral_code"]
    code = logic.normalise_referral_code(typed) if typed else None
    pending = None
    if (
        code
        and await store.public_code(db, code)
        and not await store.answered(db, account_id, code)
    ):
        pending = code
    return ClinicLink(linked=False, pending_code=pending)
