"""HTTP for scales: instruments, responses, programmes, follow-ups and crisis resources."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter, SkipValidation
from litestar.status_codes import HTTP_201_CREATED

from fotfeste.accounts.service import account_from_token, requires_account
from fotfeste.clock import isoformat_utc, local_today
from fotfeste.dates import seconds_to_midnight
from fotfeste.errors import InvalidInput, TooManyWrites
from fotfeste.scales import logic, store
from fotfeste.scales.definitions import Catalogue
from fotfeste.scales.followups import enrolment_for, schedule_for, set_programme
from fotfeste.scales.help import REGIONS, CrisisResource, resources_for
from fotfeste.scales.models import (
    EnrolmentIn,
    EnrolmentOut,
    FollowupOut,
    Followups,
    HelpResources,
    HelpSettings,
    Instruments,
    ProgrammeOut,
    Programmes,
    ResponseIn,
    ResponseOut,
    Responses,
    ScaleSettings,
)
from fotfeste.scales.prefill import days_used_last_30
from fotfeste.scales.present import instrument_out, response_out
from fotfeste.scales.service import Scales
from fotfeste.web.deps import DB, AppClock, AppSettings, CurrentAccount, Quota
from fotfeste.web.throttle import public

# Loaded and validated once at start-up: checking them again on every request would be waste.
Resources = NamedDependency[SkipValidation[list[CrisisResource]]]
# A programme may start a while back (enrolled at discharge, entered later) or soon (waiting list).
_START_PAST = timedelta(days=2 * 366)
_START_FUTURE = timedelta(days=366)


class ScalesController(Controller):
    path = "/api"
    tags = ["scales"]
    guards = [requires_account]

    @get("/instruments", operation_id="listInstruments")
    async def instruments(
        self, account: CurrentAccount, db: DB, clock: AppClock, catalogue: Scales
    ) -> Instruments:
        """The scales for the account's role, in its language (English where untranslated)."""
        cutoff_set = await store.cutoff_set(db, account.id)
        prefills = {
            "days_used_last_30": await days_used_last_30(db, clock, account.id, account.timezone)
        }
        return Instruments(
            instruments=[
                instrument_out(
                    inst,
                    account.locale,
                    cutoff_set=cutoff_set,
                    country=account.country,
                    prefills=prefills,
                )
                for inst in catalogue.for_role(account.role)
            ],
            cutoff_set=cutoff_set,  # type: ignore[arg-type]
        )

    @post("/responses", status_code=HTTP_201_CREATED, operation_id="createResponse")
    async def respond(
        self,
        data: JSONBody[ResponseIn],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        catalogue: Scales,
        crisis_resources: Resources,
        settings: AppSettings,
        quota: Quota,
    ) -> ResponseOut:
        """Answer an instrument. Missing or out-of-range answers are 400; safety answers carry
        the crisis resources for the account's country and language."""
        quota.spend("responses", account.id)
        inst = catalogue.instrument(data.instrument, account.role)
        if inst is None:
            raise InvalidInput(
                f"Unknown instrument {data.instrument!r}; see GET /api/instruments",
                field="instrument",
            )
        scored = logic.score(inst, data.answers)
        row = await store.insert_response(
            db,
            account.id,
            client_id=data.client_id,
            instrument=inst.id,
            version=inst.version,
            answers=scored.answers,
            score=scored.score,
            band=None if scored.band is None else scored.band.id,
            safety=scored.safety,
            answered_at=isoformat_utc(clock.now()),
            answered_on=local_today(clock, account.timezone),
            per_day=settings.max_responses_per_day,
        )
        if row is None:
            raise TooManyWrites(
                f"{inst.id} was answered {settings.max_responses_per_day} times today, as many as"
                " one day keeps. Nothing was lost; it can be answered again tomorrow.",
                retry_after=seconds_to_midnight(clock.now(), account.timezone),
                field="instrument",
            )
        return response_out(
            inst,
            row,
            account.locale,
            cutoff_set=await store.cutoff_set(db, account.id),
            country=account.country,
            resources=resources_for(
                crisis_resources,
                account.country,
                account.locale,
                region=await store.help_region(db, account.id),
                crisis_only=True,
            ),
        )

    @get("/responses", operation_id="listResponses")
    async def history(
        self,
        account: CurrentAccount,
        db: DB,
        catalogue: Scales,
        crisis_resources: Resources,
        instrument: Annotated[str | None, QueryParameter(max_length=32)] = None,
    ) -> Responses:
        """The account's answers, oldest first; `instrument` narrows to one scale."""
        if instrument is not None and instrument not in catalogue.ids():
            raise InvalidInput(f"Unknown instrument {instrument!r}", field="instrument")
        cutoff_set = await store.cutoff_set(db, account.id)
        resources = resources_for(
            crisis_resources,
            account.country,
            account.locale,
            region=await store.help_region(db, account.id),
            crisis_only=True,
        )
        return Responses(
            responses=[
                response_out(
                    catalogue.instrument(row["instrument"], account.role),
                    row,
                    account.locale,
                    cutoff_set=cutoff_set,
                    country=account.country,
                    resources=resources,
                )
                for row in await store.responses(db, account.id, instrument)
            ]
        )

    @get("/scales/settings", operation_id="getScaleSettings")
    async def settings(self, account: CurrentAccount, db: DB) -> ScaleSettings:
        """The person's optional choice of sex-specific cut-offs."""
        return ScaleSettings(cutoff_set=await store.cutoff_set(db, account.id))  # type: ignore[arg-type]

    @put("/scales/settings", operation_id="putScaleSettings")
    async def put_settings(
        self, data: JSONBody[ScaleSettings], account: CurrentAccount, db: DB
    ) -> ScaleSettings:
        """Choose men's or women's cut-offs, or none (null). Never required."""
        await store.set_cutoff_set(db, account.id, data.cutoff_set)
        return data


class FollowupsController(Controller):
    path = "/api"
    tags = ["scales"]
    guards = [requires_account]

    @get("/programmes", operation_id="listProgrammes")
    async def programmes(self, account: CurrentAccount, catalogue: Scales) -> Programmes:
        """The follow-up programmes one can choose, in the account's language."""
        return Programmes(
            programmes=[
                ProgrammeOut(
                    id=p.id,
                    name=logic.text_in(p.name, account.locale) or p.id,
                    description=logic.text_in(p.description, account.locale) or "",
                )
                for p in catalogue.programmes.values()
            ]
        )

    @get("/me/programme", operation_id="getProgramme")
    async def programme(self, account: CurrentAccount, db: DB, catalogue: Scales) -> EnrolmentOut:
        """The account's programme (default: aftercare from the account's first day)."""
        return await _enrolment_out(db, catalogue, account.id, account.timezone, account.locale)

    @put("/me/programme", operation_id="putProgramme")
    async def choose_programme(
        self,
        data: JSONBody[EnrolmentIn],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        catalogue: Scales,
    ) -> EnrolmentOut:
        """Choose a programme and its start date (default today)."""
        today = local_today(clock, account.timezone)
        start = data.start_date or today
        if not today - _START_PAST <= start <= today + _START_FUTURE:
            raise InvalidInput(
                "A programme starts within two years back or one year ahead", field="start_date"
            )
        await set_programme(db, account.id, data.programme, start)
        return await _enrolment_out(db, catalogue, account.id, account.timezone, account.locale)

    @get("/followups", operation_id="listFollowups")
    async def followups(self, account: CurrentAccount, db: DB, clock: AppClock) -> Followups:
        """The account's follow-ups in date order with status due / done / upcoming / missed."""
        enrolment, entries = await schedule_for(
            db, clock, account.id, account.timezone, role=account.role, locale=account.locale
        )
        return Followups(
            programme=enrolment.programme,
            start_date=enrolment.start_date.isoformat(),
            followups=[FollowupOut.of(f) for f in entries],
        )


class HelpController(Controller):
    path = "/api/help"
    tags = ["help"]

    # Anyone may ask (the help screen works before sign-up); with a token, the account's lines.
    @get("/resources", operation_id="listHelpResources", guards=[public])
    async def resources(
        self,
        request: Request[Any, Any, Any],
        db: DB,
        clock: AppClock,
        crisis_resources: Resources,
        country: Annotated[str | None, QueryParameter(pattern=r"^[A-Z]{2}$")] = None,
        locale: Annotated[str | None, QueryParameter(pattern=r"^(sv|nb|da|en)$")] = None,
    ) -> HelpResources:
        """Crisis and support lines for a country, texts in a language: with a token, the
        account's (and its Danish region, if chosen); without one (the help screen works before
        sign-up), the `country` and `locale` asked. Each line's `kind` says where it belongs:
        crisis_line, emergency, addiction and medical (in that order) on "I need help now"."""
        region = None
        if request.headers.get("authorization"):
            account = await account_from_token(request)
            country, locale = account.country, account.locale
            region = await store.help_region(db, account.id)
        return HelpResources(
            country=country,
            region=region,
            resources=resources_for(crisis_resources, country, locale or "en", region=region),
        )

    @get("/settings", operation_id="getHelpSettings", guards=[requires_account])
    async def settings(self, account: CurrentAccount, db: DB) -> HelpSettings:
        """The account's Danish region, if chosen."""
        return HelpSettings(region=await store.help_region(db, account.id))  # type: ignore[arg-type]

    @put("/settings", operation_id="putHelpSettings", guards=[requires_account])
    async def put_settings(
        self, data: JSONBody[HelpSettings], account: CurrentAccount, db: DB
    ) -> HelpSettings:
        """Choose a region (Denmark only), or none (null) to see every region's line."""
        if data.region is not None and data.region not in REGIONS.get(account.country or "", ()):
            raise InvalidInput(
                "A region can be chosen only for an account in Denmark (country DK)",
                field="region",
            )
        await store.set_help_region(db, account.id, data.region)
        return data


async def _enrolment_out(
    db: DB, catalogue: Catalogue, account_id: str, timezone: str, locale: str
) -> EnrolmentOut:
    enrolment = await enrolment_for(db, account_id, timezone)
    programme = catalogue.programmes[enrolment.programme]
    return EnrolmentOut(
        programme=programme.id,
        name=logic.text_in(programme.name, locale) or programme.id,
        description=logic.text_in(programme.description, locale) or "",
        start_date=enrolment.start_date.isoformat(),
        chosen=enrolment.chosen,
    )
