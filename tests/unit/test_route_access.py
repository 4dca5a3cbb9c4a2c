"""create_app refuses to start when an API route does not declare who may call it."""

from __future__ import annotations

import pytest
from litestar import Controller, Litestar, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ImproperlyConfiguredException
from litestar.types import ControllerRouterHandler

from fotfeste.accounts.auth import check_route_access, requires_account
from fotfeste.web.throttle import public


def _app(*handlers: ControllerRouterHandler) -> Litestar:
    account = Provide(lambda: "an account", sync_to_thread=False)
    return Litestar(list(handlers), dependencies={"account": account}, openapi_config=None)


class Mine(Controller):
    path = "/api/mine"
    guards = [requires_account]

    @get("/")
    async def mine(self, account: NamedDependency[str]) -> None:
        return None


class Open(Controller):
    path = "/api/open"
    guards = [public]

    @get("/")
    async def open(self) -> None:
        return None


def test_routes_that_declare_a_login_or_public_start() -> None:
    @get("/staff/page")  # outside the API: the staff portal has its own guard
    async def page() -> None:
        return None

    check_route_access(_app(Mine, Open, page))


def test_a_route_that_declares_nothing_does_not_start() -> None:
    @get("/api/forgotten")
    async def forgotten() -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match=r"/api/forgotten.*exactly one"):
        check_route_access(_app(Mine, forgotten))


def test_a_route_that_declares_both_does_not_start() -> None:
    @get("/api/both", guards=[public, requires_account])
    async def both(account: NamedDependency[str]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match=r"/api/both.*exactly one"):
        check_route_access(_app(both))


def test_a_public_route_that_asks_for_the_account_does_not_start() -> None:
    @get("/api/sneaky", guards=[public])
    async def sneaky(account: NamedDependency[str]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException, match="asks for `account`"):
        check_route_access(_app(sneaky))
