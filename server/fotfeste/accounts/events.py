"""Listeners told after a profile change (e.g. reminders recompute times for a new time zone)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fotfeste.accounts.models import Account
from fotfeste.clock import Clock
from fotfeste.db import Database

# Called with the account as it is after the change; wired in app.py.
ProfileListener = Callable[[Database, Clock, Account], Awaitable[None]]
