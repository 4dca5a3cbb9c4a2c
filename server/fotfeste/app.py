"""create_app(settings) -> Litestar: all the wiring in one place."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.params import SkipValidation
from litestar.types import ControllerRouterHandler

from fotfeste import __version__
from fotfeste.accounts.auth import check_route_access, provide_account
from fotfeste.accounts.events import ProfileListener
from fotfeste.accounts.models import Account
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
from fotfeste.recovery.fast import FastCheckins
from fotfeste.recovery.routes import RecoveryController
from fotfeste.reminders import service as reminders_service
from fotfeste.reminders.routes import RemindersController
from fotfeste.reminders.scheduler import schedule_due
from fotfeste.scales.definitions import Catalogue, catalogue
from fotfeste.scales.help import CrisisResource, load_resources
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
from fotfeste.web.shared_limits import SharedLimits
from fotfeste.web.state import Shared, shared
from fotfeste.web.static import PwaFiles
from fotfeste.web.throttle import Throttle, public
from fotfeste.workers import PRODUCERS_LEASE, Worker, WorkerContext, leased, run_workers

log = logging.getLogger("fotfeste")


def create_app(settings: Settings, *, clock: Clock | None = None) -> Litestar:
    """The whole application; tests pass their own settings and clock."""
    clock = clock or SystemClock()
    _quiet_loggers()
    db = open_database(settings)
    push = PushService(settings, db, clock)
    push.producers.extend(push_producers(db, clock, push.wake))
    access_stats = AccessStats()
    shared = Shared(
        settings=settings,
        clock=clock,
        db=db,
        throttle=Throttle.from_settings(settings),
        shared_limits=SharedLimits.from_settings(db, clock, settings),
        write_quota=WriteQuota.from_settings(settings),
        access_stats=access_stats,
        push=push,
        staff_unknown_addresses=UnknownAddresses(),
        # Data files are validated here, so a broken file stops the start, not a request.
        catalogue=catalogue(),
        crisis_resources=load_resources(settings.crisis_resources),
        profile_listeners=_profile_listeners(),
    )
    app = FotfesteApp(
        access_stats=access_stats,
        # Plain ASGI layers around Litestar, outermost first (Starlette's way). The check-in's
        # plain case skips Litestar's pipeline; it refuses to start if the route has anything it
        # would skip (recovery/fast.py).
        layers=[FastCheckins],
        # The PWA's files: only those sw.js lists, compressed and versioned (web/static.py).
        pwa_files=PwaFiles(settings.pwa_dir),
        route_handlers=_routes(),
        dependencies=_dependencies(),
        lifespan=[_lifespan(settings, db, clock, push)],
        state=shared.as_state(),
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=_openapi(),
        # Logging is set up once in cli.py. Litestar's default config would replace it with a
        # queue handler that formats each record twice and wakes a thread for every request line.
        logging_config=None,
        request_max_body_size=settings.max_body_bytes,
        request_class=FotfesteRequest,
        debug=False,
    )
    check_route_access(app)
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


# A dependency's parameter that is there only to order the chain below; its value is unused.
_After = SkipValidation[Any]


def _dependencies() -> dict[str, Provide]:
    """What handlers ask for by name (web/deps.py has the parameter types).

    The five that most routes ask for are chained on purpose, each taking the one before it
    (`_After`, unused): settings -> clock -> db -> account -> quota. Litestar resolves the
    dependencies of one level concurrently in an anyio task group; one per level resolves them
    in turn, with no tasks. Measured 2026-12-03 (bench.loadtest's mixed day, with and without,
    alternated in one run): 1,038 against 1,236 µs of server CPU per request (-16 %).
    """

    def settings(state: State) -> Settings:
        return shared(state).settings

    def clock(state: State, settings: _After) -> Clock:
        return shared(state).clock

    def db(state: State, clock: _After) -> Database:
        return shared(state).db

    def account(request: Request[Any, Any, Any], db: _After) -> Account:
        return provide_account(request)

    def scales_catalogue(state: State) -> Catalogue:
        return shared(state).catalogue

    def crisis_resources(state: State) -> list[CrisisResource]:
        return shared(state).crisis_resources

    def push(state: State) -> PushService:
        return shared(state).push

    def profile_listeners(state: State) -> list[ProfileListener]:
        return shared(state).profile_listeners

    def quota(state: State, account: _After) -> WriteQuota:
        return shared(state).write_quota

    return {
        "settings": Provide(settings, sync_to_thread=False),
        "clock": Provide(clock, sync_to_thread=False),
        "db": Provide(db, sync_to_thread=False),
        "catalogue": Provide(scales_catalogue, sync_to_thread=False),
        "crisis_resources": Provide(crisis_resources, sync_to_thread=False),
        # The account that the route's `requires_account` guard found (accounts/auth.py).
        "account": Provide(account, sync_to_thread=False),
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
        render_plugins=[JsonRenderPlugin()],
        # Anyone may read the schema, within the public rate limit (accounts/auth.py).
        openapi_router=Router(
            "/schema", guards=[public], include_in_schema=False, route_handlers=[]
        ),
    )


def _workers(push: PushService) -> list[Worker]:
    """Background loops that run beside the API (outbox sender, scheduler, feed refresh)."""
    # With several app processes, the producers (reminder scheduler, supporter milestones) and
    # the feed refresher run in one at a time, the lease holder's; the sender claims outbox rows.
    # With push-worker processes, a worker holds the producers' lease instead (push/worker.py).
    producers = [] if push.processes is not None else [leased(PRODUCERS_LEASE, push.run_producers)]
    return [
        leased("meeting_feeds", meeting_feed_refresher),
        *producers,
        push.run_sender,
        log_access_summaries,
    ]


def push_producers(db: Database, clock: Clock, wake: Callable[[], None]) -> list[Producer]:
    """What turns due things into push notifications (run by the scheduler loop and tick());
    `wake` tells the sender that rows are waiting."""

    async def reminders() -> int:
        return await schedule_due(db, clock, wake)

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
