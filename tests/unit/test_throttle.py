"""The sliding-window throttle: counts per client and bucket, forgets after the window."""

from __future__ import annotations

from fotfeste.settings import RateLimit
from fotfeste.web.throttle import Throttle


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
