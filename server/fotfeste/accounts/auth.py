"""Bearer-token authentication: handlers ask for `account: Account`; the app checks first."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from fotfeste.accounts.models import Account
from fotfeste.accounts.store import account_for_token
from fotfeste.web import throttle
from fotfeste.web.deps import DB, AppClock

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="fotfeste"'}


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header's value, if it is one."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def bearer_or_401(request: Request[Any, Any, Any]) -> str:
    """The request's bearer token; without one, 401 (counted as public, like anonymous calls)."""
    token = bearer_token(request.headers.get("authorization", ""))
    if token is None:
        throttle.check(request, "public")
        raise NotAuthorizedException(
            "Sign in: send Authorization: Bearer <token>", headers=_CHALLENGE
        )
    return token


async def provide_account(request: Request[Any, Any, Any], db: DB, clock: AppClock) -> Account:
    """The account behind `Authorization: Bearer <token>`, or 401."""
    account = await account_for_token(db, clock, bearer_or_401(request))
    if account is None:
        # Guessing tokens counts against the same public limit as anonymous requests.
        throttle.check(request, "public")
        raise NotAuthorizedException(
            "This token is not valid (signed out or deleted)", headers=_CHALLENGE
        )
    return account


async def before_any_route(request: Request[Any, Any, Any]) -> None:
    """The app's `before_request`, run before a route reads its body or dependencies.

    - A route that needs no token: every request counts in the "public" rate limit.
    - A route that needs one: a request without any token gets 401 here, counted the same, never
      a 400 about its body. Whether the token is valid is the `account` dependency's question.

    Set on the app, so a route added later is covered without anyone remembering to;
    `throttle.check_public_routes` refuses a public route that would replace it. A hook rather
    than an app-wide guard (Litestar copies the route handler for every guard call) or a
    middleware (any middleware wraps every route in a second exception handler and `send`
    wrapper): either cost authenticated requests, the busiest, several per cent.
    """
    scope = request.scope
    if scope["path"].startswith(throttle.COUNTED):
        if throttle.is_public(scope["route_handler"]):
            throttle.check(request, "public")
        else:
            bearer_or_401(request)
