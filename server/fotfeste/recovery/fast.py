"""PUT /api/checkins/{day}, the hottest write: its plain case answered by a plain ASGI wrapper.

Why it exists: Litestar's pipeline (routing, the request object, guards, dependencies, the
signature model, the response) costs more CPU than the check-in itself. Measured 2026-12-03 with
the wrapper on and off, alternated in one run on the shared machine (8 rounds, load average
~20 on 2 cores): on bench.loadtest's mixed day, 959 against 1,050 µs of server CPU per request
(-9 %) and a median 1.25× the throughput; on bench.checkins, 165 against 445 µs per check-in.

How it stays safe (create_app assembles it: `FotfesteApp(layers=[FastCheckins])`):
- It decides "plain or not" before anything is written, reading only: a bearer token of an
  account, `content-type: application/json`, a body within the size limit that decodes into
  `CheckinInput` and that the route's rules accept, a day the account may check in for.
  Anything else goes to the Litestar route untouched (the body replayed), which answers it,
  errors and limits included.
- For the plain case it calls the route's own function (`RecoveryController.put_checkin`) with
  what the route's guard and dependencies would give it, and answers with what it returns, or
  with the app's exception handlers for what it raises. After that the route never sees the
  request: nothing is ever written twice.
- `check_fast_checkins(app)`, run when the wrapper is made, refuses to start when the route holds
  anything the wrapper would skip (a guard besides `requires_account`, middleware, a hook,
  response headers or cookies, a dependency it does not give): add it to the wrapper, or remove
  the wrapper from create_app.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import HTTPRouteHandler
from litestar.middleware._internal.exceptions.middleware import get_exception_handler
from litestar.types import ASGIApp, HTTPScope, Receive, ReceiveMessage, Send

from fotfeste.accounts.service import account_for_token, bearer_token, requires_account
from fotfeste.clock import local_today
from fotfeste.db import Unavailable
from fotfeste.errors import DomainError
from fotfeste.recovery import logic
from fotfeste.recovery.models import CheckinInput
from fotfeste.recovery.routes import RecoveryController
from fotfeste.web.state import shared

PREFIX = "/api/checkins/"
TEMPLATE = "/api/checkins/{day}"
OPERATION = "putCheckin"
# What the wrapper gives the route's function: anything else it asks for, it would not get.
PARAMETERS = frozenset({"day", "data", "account", "db", "clock", "quota"})
ROUTE = RecoveryController.put_checkin

_decoder = msgspec.json.Decoder(CheckinInput)
_encoder = msgspec.json.Encoder()
_JSON = (b"content-type", b"application/json")


class FastCheckins:
    """ASGI wrapper around the app: the plain case of PUT /api/checkins/{day}, else `app`."""

    def __init__(self, litestar: Litestar, app: ASGIApp) -> None:
        self.route = check_fast_checkins(litestar)
        self.shared = shared(litestar)
        self.app = app  # the next layer, which answers everything else

    async def __call__(self, scope: Any, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "PUT"
            or not scope["path"].startswith(PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        first = await receive()
        plain = await self._plain(scope, first)
        if plain is None:
            await self.app(scope, _replaying(first, receive), send)
            return
        await self._answer(scope, receive, send, plain)

    async def _plain(self, scope: HTTPScope, first: ReceiveMessage) -> dict[str, Any] | None:
        """The route function's arguments when this is the plain case, else None. Reads only."""
        if first["type"] != "http.request" or first.get("more_body", False):
            return None
        body = first.get("body", b"")
        day = scope["path"][len(PREFIX) :]
        authorization = content_type = None
        for name, value in scope["headers"]:  # the first of each, as the route reads them
            if name == b"authorization" and authorization is None:
                authorization = value
            elif name == b"content-type" and content_type is None:
                content_type = value
        token = None if authorization is None else bearer_token(authorization.decode("latin-1"))
        if (
            token is None
            or content_type != b"application/json"
            or "/" in day
            or len(body) > self.shared.settings.max_body_bytes
        ):
            return None
        try:
            data = _decoder.decode(body)
            checkin_day = logic.parse_date(day, "date")
            logic.normalise_substances(data.used, data.substances)
        except (msgspec.MsgspecError, DomainError):
            return None
        shared = self.shared
        try:
            account = await account_for_token(shared.db, shared.clock, token)  # as requires_account
        except Unavailable:
            return None  # the route answers it (503 with Retry-After), as for any other request
        if account is None:
            return None
        try:
            logic.check_checkin_date(checkin_day, local_today(shared.clock, account.timezone))
        except DomainError:
            return None
        return {
            "day": day,
            "data": data,
            "account": account,
            "db": shared.db,
            "clock": shared.clock,
            "quota": shared.write_quota,
        }

    async def _answer(
        self, scope: Any, receive: Receive, send: Send, arguments: dict[str, Any]
    ) -> None:
        scope["path_template"] = TEMPLATE
        try:
            checkin = await self.route.fn(**arguments)
        except Exception as exc:
            # The route's own answer to what its function raised (e.g. 429 over the quota), by
            # Litestar's own choice of handler.
            handler = get_exception_handler(self.route.resolve_exception_handlers(), exc)
            if handler is None:
                raise
            request: Request[Any, Any, Any] = Request(scope, receive, send)
            response = handler(request, exc).to_asgi_response(app=None, request=request)
            await response(scope, receive, send)
            return
        answer = _encoder.encode(checkin)
        length = (b"content-length", str(len(answer)).encode())
        await send({"type": "http.response.start", "status": 200, "headers": [_JSON, length]})
        await send({"type": "http.response.body", "body": answer, "more_body": False})


def _replaying(first: ReceiveMessage, receive: Receive) -> Receive:
    """`receive` for the route: the message already read, then the rest from the server."""
    pending: list[ReceiveMessage] = [first]

    async def replay() -> Any:
        return pending.pop() if pending else await receive()

    return replay


def check_fast_checkins(app: Litestar) -> HTTPRouteHandler:
    """The check-in route; refuse to start if it has anything `FastCheckins` would skip."""
    handler = _route_handler(app)
    if getattr(handler.fn, "__func__", handler.fn) is not ROUTE.fn:  # a method bound by Litestar
        raise _skipped("the route is not RecoveryController.put_checkin")
    skipped = []
    for layer in handler.ownership_layers:
        if isinstance(layer, HTTPRouteHandler):
            where = "the route"
        elif isinstance(layer, Litestar):
            where = "the app"
        else:  # a router, or the controller (which Litestar makes a router)
            where = f"the {type(layer).__name__} at {layer.path!r}"
        extra_guards = [g for g in layer.guards or () if g is not requires_account]
        hooks = ("before_request", "after_request", "after_response")
        things: list[tuple[str, object]] = [
            ("guards", [getattr(g, "__name__", repr(g)) for g in extra_guards]),
            ("middleware", layer.middleware),
            *((hook, getattr(layer, hook, None)) for hook in hooks),
            ("response_headers", layer.response_headers),
            ("response_cookies", layer.response_cookies),
            ("cache_control", layer.cache_control),
            ("etag", layer.etag),
        ]
        for what, value in things:
            if value:
                named = f" {value}" if what == "guards" else ""
                skipped.append(f"{what}{named} on {where}")
    if getattr(app, "before_send", None):
        skipped.append("before_send on the app")
    if requires_account not in handler.resolve_guards():
        skipped.append("the route is not guarded by requires_account")
    parameters = set(handler.parsed_fn_signature.parameters)
    if parameters != PARAMETERS:
        skipped.append(f"the route's parameters are {sorted(parameters)}")
    if handler.status_code != 200:
        skipped.append(f"the route answers {handler.status_code}")
    if skipped:
        raise _skipped("; ".join(skipped))
    return handler


def _route_handler(app: Litestar) -> HTTPRouteHandler:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.operation_id == OPERATION:
                return handler
    raise _skipped("there is no putCheckin route")


def _skipped(what: str) -> ImproperlyConfiguredException:
    return ImproperlyConfiguredException(
        f"The check-in fast path (recovery/fast.py) would skip what the route has: {what}. "
        "Give the fast path the same, or take FastCheckins out of create_app's layers."
    )
