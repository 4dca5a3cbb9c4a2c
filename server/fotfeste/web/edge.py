"""The outermost layer of every HTTP answer: security headers, the access summary, HEAD, the
PWA's files, then the plain ASGI layers around Litestar."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from litestar import Litestar
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Send

from fotfeste.web.access_log import AccessStats, note
from fotfeste.web.headers import add_security_headers
from fotfeste.web.static import PwaFiles

log = logging.getLogger(__name__)


# A plain ASGI layer between the edge and Litestar: made from the app and the next layer.
Layer = Callable[[Litestar, ASGIApp], ASGIApp]


class FotfesteApp(Litestar):
    """Litestar, with headers and counting wrapped around everything it answers, layers too.

    Outside Litestar's own layers, so 404s for unknown paths, 405s and errors raised before any
    route get them too. One `send` wrapper does both: as a `before_send` hook plus a middleware
    they cost a tenth of a check-in's CPU, since any middleware also wraps every route in a second
    exception handler. Then `layers`, plain ASGI wrappers around Litestar, outermost first (today
    only the check-in's plain case, recovery/fast.py); the PWA's files are answered here too,
    from memory (see `PwaFiles`).
    HEAD is answered for every GET route: the request goes on as a GET and only the body is left
    out, so the status and headers are the GET's.
    """

    __slots__ = ("_inner", "access_stats", "layers", "pwa_files")

    def __init__(
        self,
        *args: Any,
        access_stats: AccessStats,
        layers: Sequence[Layer] = (),
        pwa_files: PwaFiles | None = None,
        **kwargs: Any,
    ) -> None:
        self.access_stats = access_stats
        self.pwa_files = pwa_files
        super().__init__(*args, **kwargs)
        inner: ASGIApp = super().__call__
        made: list[ASGIApp] = []
        for layer in reversed(layers):
            inner = layer(self, inner)
            made.insert(0, inner)
        self._inner = inner
        self.layers = tuple(made)  # outermost first, as given

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
            await self._inner(scope, receive, send_with_headers)
        finally:
            note(self.access_stats, scope, status, started)
