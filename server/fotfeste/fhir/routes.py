"""HTTP for clinic exports: instruments as FHIR Questionnaires, a person's answers as a Bundle."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.types import ExceptionHandlersMap

from fotfeste.accounts.service import requires_account
from fotfeste.clock import isoformat_utc, local_today
from fotfeste.fhir import resources
from fotfeste.fhir.models import (
    Bundle,
    Observation,
    Questionnaire,
    QuestionnaireBundle,
    QuestionnaireEntry,
    QuestionnaireResponse,
)
from fotfeste.recovery.service import progress_for_account
from fotfeste.scales.service import LOCALES, Catalogue, Instrument, Scales, responses
from fotfeste.web.deps import DB, AppClock, AppSettings, CurrentAccount
from fotfeste.web.errors import internal_error
from fotfeste.web.throttle import public

FHIR_JSON = "application/fhir+json"
# Litestar answers a handler's own errors (a bad ?lang=, 404) in the handler's media type; ours
# are the API's plain JSON errors, as documented, not FHIR resources.
_ERRORS_AS_JSON: ExceptionHandlersMap = {HTTPException: internal_error}
Lang = Annotated[
    str | None,
    QueryParameter(
        name="lang",
        pattern="^(sv|nb|da|en)$",
        description="Language of the wording; without it, Accept-Language, then English",
        required=False,
    ),
]


def choose_language(lang: str | None, accept_language: str) -> str:
    """`?lang=` first; then the first language of Accept-Language we have (by q); then English."""
    if lang is not None:
        return lang
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        # Norwegian without a written standard ("no") is read as Bokmål, the app's Norwegian.
        primary = "nb" if primary == "no" else primary
        if primary in LOCALES and weight > 0:
            ranked.append((-weight, position, primary))
    return min(ranked)[2] if ranked else "en"


def _by_stem(catalogue: Catalogue) -> dict[str, Instrument]:
    return dict(sorted(catalogue.instruments.items(), key=lambda kv: (kv[1].order, kv[0])))


def _stem_for(catalogue: Catalogue, instrument_id: str, role: str) -> str | None:
    return next(
        (
            stem
            for stem, inst in catalogue.instruments.items()
            if inst.id == instrument_id and role in inst.audience
        ),
        None,
    )


class QuestionnaireController(Controller):
    path = "/fhir/Questionnaire"
    tags = ["fhir"]
    guards = [public]
    exception_handlers = _ERRORS_AS_JSON

    @get("/", media_type=FHIR_JSON, operation_id="listFhirQuestionnaires")
    async def list_questionnaires(
        self,
        request: Request[Any, Any, Any],
        settings: AppSettings,
        catalogue: Scales,
        lang: Lang = None,
    ) -> QuestionnaireBundle:
        """Every instrument as a FHIR R4 Questionnaire, in `?lang=` or Accept-Language."""
        locale = choose_language(lang, request.headers.get("accept-language", ""))
        found = [
            resources.questionnaire(inst, stem, locale, settings.public_url)
            for stem, inst in _by_stem(catalogue).items()
        ]
        return QuestionnaireBundle(
            id=f"questionnaires-{locale}",
            type="searchset",
            total=len(found),
            entry=[QuestionnaireEntry(full_url=q.url, resource=q) for q in found],
        )

    @get("/{stem:str}", media_type=FHIR_JSON, operation_id="getFhirQuestionnaire")
    async def get_questionnaire(
        self,
        stem: FromPath[str],
        request: Request[Any, Any, Any],
        settings: AppSettings,
        catalogue: Scales,
        lang: Lang = None,
    ) -> Questionnaire:
        """One instrument as a FHIR R4 Questionnaire (404 for an unknown id)."""
        inst = catalogue.instruments.get(stem)
        if inst is None:
            raise NotFoundException(f"No questionnaire {stem!r}; see GET /fhir/Questionnaire")
        locale = choose_language(lang, request.headers.get("accept-language", ""))
        return resources.questionnaire(inst, stem, locale, settings.public_url)


class FhirExportController(Controller):
    path = "/api/me/export/fhir"
    tags = ["fhir"]
    guards = [requires_account]
    exception_handlers = _ERRORS_AS_JSON

    @get("/", media_type=FHIR_JSON, operation_id="exportFhir")
    async def export(
        self,
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        settings: AppSettings,
        catalogue: Scales,
        days_with_use: Annotated[
            bool,
            QueryParameter(
                description="Also Observations of the days with use in the last 30 days",
                required=False,
            ),
        ] = False,
    ) -> Bundle:
        """The person's answers as a FHIR R4 Bundle (collection) of QuestionnaireResponses, for
        a clinic's records. No names, no identifiers of the person, no device data."""
        found: list[QuestionnaireResponse | Observation] = []
        for row in await responses(db, account.id, None):
            stem = _stem_for(catalogue, row["instrument"], account.role)
            if stem is None:
                continue  # an instrument since retired: nothing to point the response at
            found.append(
                resources.response(
                    catalogue.instruments[stem],
                    stem,
                    version=row["version"],
                    answers=msgspec.json.decode(row["answers"], type=dict[str, int]),
                    score=row["score"],
                    authored=row["answered_at"],
                    locale=account.locale,
                    public_url=settings.public_url,
                )
            )
        if days_with_use:
            today = local_today(clock, account.timezone)
            progress = await progress_for_account(db, clock, account.id, account.timezone)
            used = [day for day, status in progress.recent if status == "used"]
            found.extend(
                resources.use_observations(
                    used,
                    today - timedelta(days=29),
                    today,
                    account.locale,
                    settings.public_url,
                )
            )
        return resources.bundle(found, isoformat_utc(clock.now()))
