"""Per-account write quotas: a signed-in script cannot write thousands of rows a second."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from fotfeste.errors import TooManyWrites
from fotfeste.settings import RateLimit, Settings

# Kinds of write with a quota each, so a burst of plan edits never blocks a check-in.
KINDS = ("responses", "attendance", "checkins", "plan")
_MAX_KEYS = 100_000  # least recently used accounts are forgotten first (memory stays bounded)


class WriteQuota:
    """Fixed-window counters in memory, per (kind, account), one window per limit.

    Fixed windows cost two numbers per limit; at a window's edge a client may get up to twice a
    limit through, which the hourly limit bounds. Refused writes are not counted, so the route
    and the check-in fast path may both ask without charging twice. Counted per process: with
    `serve --workers N` an account may write up to N times the quota. That is kept on purpose:
    the quota brakes a runaway script (N× still is), guards no secret, and a shared count would
    cost a write on every check-in (see web/shared_limits.py for the limits that are shared).
    """

    def __init__(
        self, limits: Sequence[RateLimit], monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = tuple(limits)
        self._bounds = tuple((float(limit.requests), float(limit.seconds)) for limit in limits)
        self._monotonic = monotonic
        # Per key: window start and count of each limit, flat ([start0, count0, start1, …]).
        self._windows: OrderedDict[tuple[str, str], list[float]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings) -> WriteQuota:
        return cls((settings.quota_writes_minute, settings.quota_writes_hour))

    def wait(self, kind: str, account_id: str) -> float | None:
        """Count one write when allowed (None); else the seconds until one is allowed."""
        # On the check-in fast path: plain loops over floats, no objects made per call.
        now = self._monotonic()
        key = (kind, account_id)
        windows = self._windows.get(key)
        if windows is None:
            windows = self._windows[key] = [now, 0.0] * len(self._bounds)
            if len(self._windows) > _MAX_KEYS:
                self._windows.popitem(last=False)
        else:
            self._windows.move_to_end(key)
        wait = 0.0
        i = 0
        for requests, seconds in self._bounds:
            if now - windows[i] >= seconds:
                windows[i], windows[i + 1] = now, 0.0
            if windows[i + 1] >= requests:
                wait = max(wait, windows[i] + seconds - now)
            i += 2
        if wait > 0:
            return wait
        for i in range(1, len(windows), 2):
            windows[i] += 1
        return None

    def spend(self, kind: str, account_id: str) -> None:
        """One write of `kind`, or 429 with Retry-After when the account is over its quota."""
        wait = self.wait(kind, account_id)
        if wait is not None:
            seconds = math.ceil(wait)
            raise TooManyWrites(
                f"That is a lot of changes in a short time. Nothing was lost; please wait"
                f" {seconds} seconds and try again.",
                retry_after=seconds,
            )
