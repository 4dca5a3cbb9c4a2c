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
    and the check-in fast path may both ask without charging twice.
    """

    def __init__(
        self, limits: Sequence[RateLimit], monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = tuple(limits)
        self._monotonic = monotonic
        self._windows: OrderedDict[tuple[str, str], list[list[float]]] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings) -> WriteQuota:
        return cls((settings.quota_writes_minute, settings.quota_writes_hour))

    def wait(self, kind: str, account_id: str) -> float | None:
        """Count one write when allowed (None); else the seconds until one is allowed."""
        now = self._monotonic()
        key = (kind, account_id)
        windows = self._windows.get(key)
        if windows is None:
            windows = self._windows[key] = [[now, 0.0] for _ in self.limits]
            if len(self._windows) > _MAX_KEYS:
                self._windows.popitem(last=False)
        else:
            self._windows.move_to_end(key)
        waits = []
        for limit, window in zip(self.limits, windows, strict=True):
            if now - window[0] >= limit.seconds:
                window[0], window[1] = now, 0.0
            if window[1] >= limit.requests:
                waits.append(window[0] + limit.seconds - now)
        if waits:
            return max(waits)
        for window in windows:
            window[1] += 1
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
