"""The sliding-window throttle: counts per client and bucket, forgets after the window."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import HTTPRouteHandler

from fotfeste.settings import RateLimit
from fotfeste.web.throttle import Throttle, check_public_routes


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_then_wait_then_allowed_again() -> None:
    ticker = Ticker()
    throttle = Throttle({"recover": RateLimit(3, 60)}, monotonic=ticker)
    assert [throttle.hit("recover", "a") for _ in range(3)] == [None, None, None]
    wait = throttle.hit("recover", "a")
    assert wait == 60
    ticker.now += 30
    assert throttle.hit("recover", "a") == 30
    ticker.now += 30.5
    assert throttle.hit("recover", "a") is None


def test_clients_and_buckets_are_counted_apart() -> None:
    throttle = Throttle({"x": RateLimit(1, 60), "y": RateLimit(1, 60)}, monotonic=Ticker())
    assert throttle.hit("x", "a") is None
    assert throttle.hit("x", "b") is None
    assert throttle.hit("y", "a") is None
    assert throttle.hit("x", "a") is not None


async def _app_hook(request: Request[Any, Any, Any]) -> None:
    return None


async def _own_hook(request: Request[Any, Any, Any]) -> None:
    return None


def test_a_public_route_may_not_replace_the_public_limit_with_a_hook_of_its_own() -> None:
    @get("/api/public", before_request=_own_hook)
    async def public() -> None:
        return None

    @get("/api/mine", before_request=_own_hook)
    async def mine(account: NamedDependency[str]) -> None:
        return None

    def app(*handlers: HTTPRouteHandler) -> Litestar:
        account = Provide(lambda: "an account", sync_to_thread=False)
        return Litestar(handlers, before_request=_app_hook, dependencies={"account": account})

    check_public_routes(app(mine))
    with pytest.raises(ImproperlyConfiguredException, match="public rate limit"):
        check_public_routes(app(public, mine))
