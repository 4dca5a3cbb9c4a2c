"""Bearer-token authentication as a dependency: handlers ask for `account: Account`."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from fotfeste.accounts.models import Account
from fotfeste.accounts.store import account_for_token
from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.web import throttle
from fotfeste.web.deps import DB, AppClock

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="fotfeste"'}


async def provide_account(request: Request[Any, Any, Any], db: DB, clock: AppClock) -> Account:
    """The account behind `Authorization: Bearer <token>`, or 401."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        throttle.check(request, "public")
        raise NotAuthorizedException(
            "Sign in: send Authorization: Bearer <token>", headers=_CHALLENGE
        )
    account = await account_for_token(db, clock, token.strip())
    if account is None:
        # Guessing tokens counts against the same public limit as anonymous requests.
        throttle.check(request, "public")
        raise NotAuthorizedException(
            "This token is not valid (signed out or deleted)", headers=_CHALLENGE
        )
    return account


_AUTHENTICATED = "fotfeste.authenticated"


async def authenticate_first(request: Request[Any, Any, Any]) -> None:
    """A route's `before_request`: what `account`, `db` and `clock` give, without dependencies.

    Only for the hottest route, PUT /api/checkins: Litestar resolves those three as a chain of
    dependencies with a signature parse at each level, which cost a third of a check-in's CPU
    (bench/checkins.py). Running before the body is parsed keeps the order the dependency had: a
    request without a valid token gets 401 (and counts as public), never a 400 about its body.
    Such a route also carries `opt={throttle.AUTHENTICATES_ITSELF: True}`.
    """
    state = request.app.state
    db: Database = state["db"]
    clock: Clock = state["clock"]
    # The scope's plain dict: `request.state` would build a State object on every access.
    request.scope["state"][_AUTHENTICATED] = (await provide_account(request, db, clock), db, clock)


def authenticated(request: Request[Any, Any, Any]) -> tuple[Account, Database, Clock]:
    """What `authenticate_first` found for this request."""
    found: tuple[Account, Database, Clock] = request.scope["state"][_AUTHENTICATED]
    return found
