"""The check-in fast path refuses to start when the route has something it would skip.

A maintainer who adds a guard, a middleware or a hook to PUT /api/checkins/{day} (on the route,
its controller, a router or the app) must see it on every check-in: either the fast path does the
same, or the app does not start and says why (recovery/fast.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Request, Response, Router
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from fotfeste.app import create_app
from fotfeste.recovery.fast import FastCheckins, check_fast_checkins
from fotfeste.recovery.routes import RecoveryController
from tests.conftest import make_settings


async def per_account_limit(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    return None


def audit_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope, receive, send)

    return middleware


async def after(response: Response[Any]) -> Response[Any]:
    return response


async def before(request: Request[Any, Any, Any]) -> None:
    return None


def _app(controller: type[RecoveryController] = RecoveryController, **layer: Any) -> Litestar:
    names = ("account", "db", "clock", "quota")
    dependencies = {name: Provide(lambda: None, sync_to_thread=False) for name in names}
    router = Router("/", route_handlers=[controller], **layer.pop("router", {}))
    return Litestar([router], dependencies=dependencies, openapi_config=None, **layer)


def test_the_app_as_built_starts_with_the_fast_path(tmp_path: Path) -> None:
    app: Any = create_app(make_settings(tmp_path))
    assert [type(layer) for layer in app.layers] == [FastCheckins]
    check_fast_checkins(app)


class Guarded(RecoveryController):
    guards = [*RecoveryController.guards, per_account_limit]  # type: ignore[misc]


class WithMiddleware(RecoveryController):
    middleware = [DefineMiddleware(audit_middleware)]


@pytest.mark.parametrize(
    ("what", "app"),
    [
        ("guards ['per_account_limit'] on the ", lambda: _app(Guarded)),
        ("middleware on the ", lambda: _app(WithMiddleware)),
        (
            "guards ['per_account_limit'] on the Router at '/'",
            lambda: _app(router={"guards": [per_account_limit]}),
        ),
        ("after_request on the app", lambda: _app(after_request=after)),
        ("before_request on the Router at '/'", lambda: _app(router={"before_request": before})),
        ("middleware on the app", lambda: _app(middleware=[audit_middleware])),
    ],
)
def test_something_the_fast_path_would_skip_stops_the_start(what: str, app: Any) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="fast path") as refused:
        check_fast_checkins(app())
    assert what in str(refused.value)
    assert "take FastCheckins out" in str(refused.value)


def test_the_plain_route_passes() -> None:
    check_fast_checkins(_app())
