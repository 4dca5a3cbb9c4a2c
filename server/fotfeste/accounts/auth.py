"""Bearer-token authentication as a dependency: handlers ask for `account: Account`."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from fotfeste.accounts.models import Account
from fotfeste.accounts.store import account_for_token
from fotfeste.web.deps import DB, AppClock

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="fotfeste"'}


async def provide_account(request: Request[Any, Any, Any], db: DB, clock: AppClock) -> Account:
    """The account behind `Authorization: Bearer <token>`, or 401."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException(
            "Sign in: send Authorization: Bearer <token>", headers=_CHALLENGE
        )
    account = await account_for_token(db, clock, token.strip())
    if account is None:
        raise NotAuthorizedException(
            "This token is not valid (signed out or deleted)", headers=_CHALLENGE
        )
    return account
