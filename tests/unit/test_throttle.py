"""The sliding-window throttle: counts per client and bucket, forgets after the window."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.exceptions import ImproperlyConfiguredException

from fotfeste.settings import RateLimit
from fotfeste.web.throttle import (
    AUTHENTICATES_ITSELF,
    Throttle,
    check_public_routes,
    count_public,
)


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


async def _own_hook(request: Request[Any, Any, Any]) -> None:
    return None


@pytest.mark.parametrize("authenticates_itself", [False, True])
def test_a_route_may_skip_the_public_limit_only_if_it_authenticates_itself(
    authenticates_itself: bool,
) -> None:
    @get("/api/x", before_request=_own_hook, opt={AUTHENTICATES_ITSELF: authenticates_itself})
    async def handler() -> None:
        return None

    app = Litestar(route_handlers=[handler], before_request=count_public)
    if authenticates_itself:
        check_public_routes(app)
    else:
        with pytest.raises(ImproperlyConfiguredException, match="does not authenticate itself"):
            check_public_routes(app)
