"""create_app(settings) -> Litestar: all the wiring in one place."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.params import SkipValidation
from litestar.types import ControllerRouterHandler

from fotfeste import __version__
from fotfeste.accounts.auth import before_any_route, provide_account
from fotfeste.accounts.events import ProfileListener
from fotfeste.accounts.quota import WriteQuota
from fotfeste.accounts.routes import AccountsController, MeController
from fotfeste.clock import Clock, SystemClock
from fotfeste.content.routes import ArticlesController
from fotfeste.db import Database, open_database
from fotfeste.demo import load_demo
from fotfeste.fhir.routes import FhirExportController, QuestionnaireController
from fotfeste.meetings.feeds import meeting_feed_refresher
from fotfeste.meetings.routes import (
    AttendanceController,
    FavouritesController,
    MeetingsController,
)
from fotfeste.motivation.notify import supporter_milestones
from fotfeste.motivation.routes import InsightsController, SpendingController
from fotfeste.motivation.supporter_routes import SupportersController, SupportingController
from fotfeste.plan.routes import PlanController, TreatmentController
from fotfeste.push.routes import PushController
from fotfeste.push.sender import Producer, PushService
from fotfeste.recovery.fast import FastCheckin
from fotfeste.recovery.routes import RecoveryController
from fotfeste.reminders import service as reminders_service
from fotfeste.reminders.routes import RemindersController
from fotfeste.reminders.scheduler import schedule_due
from fotfeste.scales.definitions import catalogue
from fotfeste.scales.help import load_resources
from fotfeste.scales.routes import FollowupsController, HelpController, ScalesController
from fotfeste.settings import Settings
from fotfeste.staff.api import ClinicLinkController, ReferralsController
from fotfeste.staff.routes import staff_routes
from fotfeste.staff.sessions import UnknownAddresses
from fotfeste.web.access_log import AccessStats, log_access_summaries
from fotfeste.web.edge import FotfesteApp
from fotfeste.web.errors import EXCEPTION_HANDLERS
from fotfeste.web.request import FotfesteRequest
from fotfeste.web.routes import health
from fotfeste.web.static import PwaFiles
from fotfeste.web.throttle import Throttle, check_public_routes
from fotfeste.workers import Worker, WorkerContext, run_workers

log = logging.getLogger("fotfeste")


def create_app(settings: Settings, *, clock: Clock | None = None) -> Litestar:
    """The whole application; tests pass their own settings and clock."""
    clock = clock or SystemClock()
    _quiet_loggers()
    db = open_database(settings)
    push = PushService(settings, db, clock)
    push.producers.extend(_push_producers(db, clock))
    access_stats = AccessStats()
    write_quota = WriteQuota.from_settings(settings)
    state = State(
        {
            "access_stats": access_stats,
            "settings": settings,
            "clock": clock,
            "db": db,
            "throttle": Throttle.from_settings(settings),
            "write_quota": write_quota,
            "staff_unknown_addresses": UnknownAddresses(),
            # Data files are validated here, so a broken file stops the start, not a request.
            "catalogue": catalogue(),
            "crisis_resources": load_resources(settings.crisis_resources),
            "push": push,
            "profile_listeners": _profile_listeners(),
        }
    )
    app = FotfesteApp(
        access_stats=access_stats,
        fast_routes=[FastCheckin(db, clock, settings.max_body_bytes, write_quota)],
        # The PWA's files: only those sw.js lists, compressed and versioned (web/static.py).
        pwa_files=PwaFiles(settings.pwa_dir),
        route_handlers=_routes(),
        dependencies=_dependencies(),
        lifespan=[_lifespan(settings, db, clock, push)],
        state=state,
        before_request=before_any_route,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=_openapi(),
        # Logging is set up once in cli.py. Litestar's default config would replace it with a
        # queue handler that formats each record twice and wakes a thread for every request line.
        logging_config=None,
        request_max_body_size=settings.max_body_bytes,
        request_class=FotfesteRequest,
        debug=False,
    )
    check_public_routes(app)
    return app


def _quiet_loggers() -> None:
    # httpx's client logs every request's URL at INFO. The push sender posts with aiohttp's
    # client, which does not, but a subscription's endpoint is a per-device address that must
    # stay out of logs like any other identifier: kept quiet should anyone log through them.
    for name in ("httpx", "httpcore", "aiohttp"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _routes() -> Sequence[ControllerRouterHandler]:
    return [
        health,
        AccountsController,
        MeController,
        RecoveryController,
        ScalesController,
        FollowupsController,
        HelpController,
        MeetingsController,
        FavouritesController,
        AttendanceController,
        ReferralsController,
        ClinicLinkController,
        *staff_routes(),
        PushController,
        RemindersController,
        ArticlesController,
        PlanController,
        TreatmentController,
        SpendingController,
        InsightsController,
        SupportersController,
        SupportingController,
        QuestionnaireController,
        FhirExportController,
    ]


def _dependencies() -> dict[str, Provide]:
    # Litestar resolves the dependencies of one "level" concurrently in an anyio task group, which
    # costs about a quarter of a small request. Chaining them (settings -> clock -> db -> account)
    # makes every level hold one, so they resolve one after another with no tasks at all.
    def settings(state: State) -> Any:
        return state["settings"]

    def clock(state: State, settings: SkipValidation[Any]) -> Any:
        return state["clock"]

    def db(state: State, clock: SkipValidation[Any]) -> Any:
        return state["db"]

    def scales_catalogue(state: State) -> Any:
        return state["catalogue"]

    def crisis_resources(state: State) -> Any:
        return state["crisis_resources"]

    def push(state: State) -> Any:
        return state["push"]

    def profile_listeners(state: State) -> Any:
        return state["profile_listeners"]

    # After the account in the chain (see above): only routes that write ask for it.
    def quota(state: State, account: SkipValidation[Any]) -> Any:
        return state["write_quota"]

    return {
        "settings": Provide(settings, sync_to_thread=False),
        "clock": Provide(clock, sync_to_thread=False),
        "db": Provide(db, sync_to_thread=False),
        "catalogue": Provide(scales_catalogue, sync_to_thread=False),
        "crisis_resources": Provide(crisis_resources, sync_to_thread=False),
        "account": Provide(provide_account),
        "push": Provide(push, sync_to_thread=False),
        "profile_listeners": Provide(profile_listeners, sync_to_thread=False),
        "quota": Provide(quota, sync_to_thread=False),
    }


def _openapi() -> OpenAPIConfig:
    # Only the JSON document: the interactive UIs load scripts from CDNs, which the CSP forbids.
    return OpenAPIConfig(
        title="Fotfeste API",
        version=__version__,
        description="Anonymous self-help companion for recovery. All ids are random; "
        "dates are the account's local calendar dates.",
        path="/schema",
        render_plugins=[JsonRenderPlugin()],
    )


def _workers(push: PushService) -> list[Worker]:
    """Background loops that run beside the API (outbox sender, scheduler, feed refresh)."""
    return [meeting_feed_refresher, push.run_producers, push.run_sender, log_access_summaries]


def _push_producers(db: Database, clock: Clock) -> list[Producer]:
    """What turns due things into push notifications (run by the scheduler loop and tick())."""

    async def reminders() -> int:
        return await schedule_due(db, clock)

    async def supporters() -> int:
        return await supporter_milestones(db, clock)

    return [reminders, supporters]


def _profile_listeners() -> list[ProfileListener]:
    """Told after PATCH /api/me, with the changed account."""
    return [reminders_service.on_profile_changed]


def _lifespan(settings: Settings, db: Database, clock: Clock, push: PushService) -> Any:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await db.connect()
        try:
            await db.migrate(clock)
            if settings.demo:
                await load_demo(db, clock)
            await push.start()
            context = WorkerContext(settings=settings, db=db, clock=clock, state=app.state)
            try:
                async with run_workers(_workers(push), context):
                    # What start-up made lives as long as the process: move it out of the
                    # collector's sight. Full collections walking it paused every request in
                    # flight (p99 of check-ins under load: 100 ms before, 22 ms after).
                    gc.freeze()
                    yield
            finally:
                await push.close()
        finally:
            await db.close()

    return lifespan
