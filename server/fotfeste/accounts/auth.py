"""Bearer-token authentication as a dependency: handlers ask for `account: Account`."""

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


async def provide_account(request: Request[Any, Any, Any], db: DB, clock: AppClock) -> Account:
    """The account behind `Authorization: Bearer <token>`, or 401."""
    token = bearer_token(request.headers.get("authorization", ""))
    if token is None:
        throttle.check(request, "public")
        raise NotAuthorizedException(
            "Sign in: send Authorization: Bearer <token>", headers=_CHALLENGE
        )
    account = await account_for_token(db, clock, token)
    if account is None:
        # Guessing tokens counts against the same public limit as anonymous requests.
        throttle.check(request, "public")
        raise NotAuthorizedException(
            "This token is not valid (signed out or deleted)", headers=_CHALLENGE
        )
    return account
