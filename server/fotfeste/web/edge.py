"""The outermost layer of every HTTP answer: security headers, the access summary, HEAD, the
PWA's files and fast paths."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any, Protocol

from litestar import Litestar
from litestar.types import HTTPScope, Message, Receive, ReceiveMessage, Send

from fotfeste.web.access_log import AccessStats, note
from fotfeste.web.headers import add_security_headers
from fotfeste.web.static import PwaFiles

log = logging.getLogger(__name__)

_JSON = (b"content-type", b"application/json")


class FastRoute(Protocol):
    """The plain case of one route, answered without Litestar's request pipeline.

    `answer` gets the whole body and returns the JSON of a 200 answer, or None to hand the
    request to the route itself, which then answers as if the fast path did not exist. So a fast
    path only has to know its plain case; every error keeps the route's answer.
    """

    method: str
    prefix: str  # of the path
    template: str  # the route's path template, for the access summary

    async def answer(self, scope: HTTPScope, body: bytes) -> bytes | None: ...


class FotfesteApp(Litestar):
    """Litestar, with headers and counting wrapped around everything it answers, fast paths too.

    Outside Litestar's own layers, so 404s for unknown paths, 405s and errors raised before any
    route get them too. One `send` wrapper does both: as a `before_send` hook plus a middleware
    they cost a tenth of a check-in's CPU, since any middleware also wraps every route in a second
    exception handler. A request that a fast route's method and path prefix match goes to it
    first (see `FastRoute`); the PWA's files are answered here too, from memory (see `PwaFiles`).
    HEAD is answered for every GET route: the request goes on as a GET and only the body is left
    out, so the status and headers are the GET's.
    """

    __slots__ = ("access_stats", "fast_routes", "pwa_files")

    def __init__(
        self,
        *args: Any,
        access_stats: AccessStats,
        fast_routes: Sequence[FastRoute] = (),
        pwa_files: PwaFiles | None = None,
        **kwargs: Any,
    ) -> None:
        self.access_stats = access_stats
        self.fast_routes = tuple(fast_routes)
        self.pwa_files = pwa_files
        super().__init__(*args, **kwargs)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        await self._answer(scope, receive, send)

    async def _answer(self, scope: HTTPScope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # if nothing was sent, the server will answer 500
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                add_security_headers(message, scope["path"])
            elif head and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a streamed body's parts: only its end is sent, empty
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            if (
                scope["method"] == "GET"
                and self.pwa_files is not None
                and not scope["path"].startswith("/api/")
                and await self.pwa_files.answer(scope, send_with_headers)
            ):
                return
            for route in self.fast_routes:
                if scope["method"] == route.method and scope["path"].startswith(route.prefix):
                    unanswered = await _try(route, scope, receive, send_with_headers)
                    if unanswered is None:
                        return
                    receive = unanswered
                    break
            await super().__call__(scope, receive, send_with_headers)
        finally:
            note(self.access_stats, scope, status, started)


async def _try(route: FastRoute, scope: HTTPScope, receive: Receive, send: Send) -> Receive | None:
    """Answer with the fast route (None), or return a `receive` that reads the request again."""
    first = await receive()
    if first["type"] == "http.request" and not first.get("more_body", False):
        try:
            answer = await route.answer(scope, first.get("body", b""))
        except Exception:
            # The route will run the same code again and answer as it does for any error.
            log.warning("the fast path of %s failed", route.template, exc_info=True)
            answer = None
        if answer is not None:
            scope["path_template"] = route.template
            length = (b"content-length", str(len(answer)).encode())
            await send({"type": "http.response.start", "status": 200, "headers": [_JSON, length]})
            await send({"type": "http.response.body", "body": answer, "more_body": False})
            return None
    return _replaying(first, receive)


def _replaying(first: ReceiveMessage, receive: Receive) -> Receive:
    """`receive` for the route: the message already read, then the rest from the server."""
    pending = [first]

    async def replay() -> Any:
        return pending.pop() if pending else await receive()

    return replay
