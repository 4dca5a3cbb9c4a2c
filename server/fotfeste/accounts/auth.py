"""Who may call a route: `requires_account` (a signed-in account) or `web.throttle.public`.

Every API controller declares one of the two as its guard (litestar-fullstack's way), e.g.

    class RecoveryController(Controller):
        guards = [requires_account]

and a handler reads the account with an `account: CurrentAccount` parameter. `check_route_access`
runs in create_app and refuses to start when a route under /api/, /schema or /fhir/ declares
neither (or both), or asks for `account` without `requires_account`: nothing is public because
someone forgot to say otherwise.
"""

from __future__ import annotations

from typing import Any, NoReturn

from litestar import Litestar, Request
from litestar.connection import ASGIConnection
from litestar.exceptions import ImproperlyConfiguredException, NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from fotfeste.accounts.models import Account
from fotfeste.accounts.store import account_for_token
from fotfeste.web import throttle
from fotfeste.web.state import shared

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="fotfeste"'}

# Paths whose routes must declare who may call them: the API, its schema and the FHIR views.
# (The staff portal has its own guard, staff/guard.py; the PWA's files are answered at the edge.)
DECLARED = ("/api/", "/schema", "/fhir/")


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header's value, if it is one."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _refuse(connection: ASGIConnection[Any, Any, Any, Any], why: str) -> NoReturn:
    # Calls without a valid token count in the per-address "public" limit, like anonymous calls
    # to public routes: guessing tokens is throttled.
    throttle.check(connection, "public")
    raise NotAuthorizedException(why, headers=_CHALLENGE)


async def requires_account(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: the request carries the bearer token of an account, or gets 401.

    Guards run before the body or any parameter is read, so a request without a valid token gets
    401, never a 400 about its body. The account is kept for the `account` dependency.
    """
    if isinstance(connection, Request) and connection.method == "OPTIONS":
        # Litestar's automatic OPTIONS answer (the allowed methods) reads nothing, and a CORS
        # preflight never carries a token: counted like any anonymous call, as Litestar's own
        # authentication middleware lets OPTIONS through by default.
        throttle.check(connection, "public")
        return
    connection.state.account = await account_from_token(connection)


async def account_from_token(connection: ASGIConnection[Any, Any, Any, Any]) -> Account:
    """The account behind `Authorization: Bearer <token>`, or 401 (counted as public)."""
    token = bearer_token(connection.headers.get("authorization", ""))
    if token is None:
        _refuse(connection, "Sign in: send Authorization: Bearer <token>")
    app = shared(connection)
    account = await account_for_token(app.db, app.clock, token)
    if account is None:
        _refuse(connection, "This token is not valid (signed out or deleted)")
    return account


def provide_account(request: Request[Any, Any, Any]) -> Account:
    """The `account` dependency: the account `requires_account` found."""
    account: Account | None = getattr(request.state, "account", None)
    if account is None:  # check_route_access makes this unreachable
        raise ImproperlyConfiguredException("a route asks for `account` without requires_account")
    return account


def check_route_access(app: Litestar) -> None:
    """Refuse to start if a route does not declare who may call it (see the module's docstring)."""
    for route in app.routes:
        if not route.path.startswith(DECLARED):
            continue
        for handler in getattr(route, "route_handlers", ()):
            if handler.handler_name == "options_handler" and handler.http_methods == {"OPTIONS"}:
                continue  # Litestar's automatic answer (the Allow header): none of our code
            guards = handler.resolve_guards()
            login, public = requires_account in guards, throttle.public in guards
            if login == public:
                raise ImproperlyConfiguredException(
                    f"{route.path} ({handler.handler_name}) must declare exactly one of "
                    "guards=[requires_account] (a signed-in account) or guards=[public] (anyone, "
                    "within the public rate limit), on its controller or itself"
                )
            if not login and "account" in handler.parsed_fn_signature.parameters:
                raise ImproperlyConfiguredException(
                    f"{route.path} ({handler.handler_name}) asks for `account` but is not "
                    "guarded by requires_account"
                )
