"""The app's shared objects: made once in create_app, read everywhere through typed accessors.

`create_app` builds one `Shared` and keeps it in the app's state under one key that only this
module knows. Code that holds the app, a request or a guard's connection asks `shared(...)` and
gets typed attributes (`shared(request).db` is a `Database`), so a renamed or missing object is
a mypy error rather than a KeyError on some request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.datastructures import State

if TYPE_CHECKING:
    from fotfeste.accounts.events import ProfileListener
    from fotfeste.accounts.quota import WriteQuota
    from fotfeste.clock import Clock
    from fotfeste.db import Database
    from fotfeste.push.sender import PushService
    from fotfeste.scales.definitions import Catalogue
    from fotfeste.scales.help import CrisisResource
    from fotfeste.settings import Settings
    from fotfeste.staff.sessions import UnknownAddresses
    from fotfeste.web.access_log import AccessStats
    from fotfeste.web.shared_limits import SharedLimits
    from fotfeste.web.throttle import Throttle

_KEY = "shared"


@dataclass(frozen=True, slots=True)
class Shared:
    """Everything a route, guard or worker may need that lives as long as the app."""

    settings: Settings
    clock: Clock
    db: Database
    throttle: Throttle
    # The limits that guard secrets, counted in the database across processes.
    shared_limits: SharedLimits
    write_quota: WriteQuota
    access_stats: AccessStats
    push: PushService
    staff_unknown_addresses: UnknownAddresses
    # Data files are validated in create_app, so a broken file stops the start, not a request.
    catalogue: Catalogue
    crisis_resources: list[CrisisResource]
    profile_listeners: list[ProfileListener]

    def as_state(self) -> State:
        """The app's `state`, holding this and nothing else."""
        return State({_KEY: self})


def shared(holder: Litestar | ASGIConnection[Any, Any, Any, Any] | State) -> Shared:
    """The app's `Shared`, from the app, a request/connection, or the app's state."""
    if isinstance(holder, State):
        state = holder
    elif isinstance(holder, Litestar):
        state = holder.state
    else:
        state = holder.app.state
    return cast("Shared", state[_KEY])
