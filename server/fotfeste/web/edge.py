"""The outermost layer of every HTTP answer: security headers and the access summary."""

from __future__ import annotations

import time
from typing import Any

from litestar import Litestar
from litestar.types import HTTPScope, Message, Receive, Send

from fotfeste.web.access_log import AccessStats, note
from fotfeste.web.headers import add_security_headers


class FotfesteApp(Litestar):
    """Litestar, with headers and counting wrapped around everything it answers.

    Outside Litestar's own layers, so 404s for unknown paths, 405s and errors raised before any
    route get them too. One `send` wrapper does both: as a `before_send` hook and a middleware they
    cost the hottest request, a check-in, a sixth of its CPU (bench/checkins.py), since any
    middleware also wraps every route in a second exception handler.
    """

    __slots__ = ("access_stats",)

    def __init__(self, *args: Any, access_stats: AccessStats, **kwargs: Any) -> None:
        self.access_stats = access_stats
        super().__init__(*args, **kwargs)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        await self._answer(scope, receive, send)

    async def _answer(self, scope: HTTPScope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500  # if nothing was sent, the server will answer 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                add_security_headers(message, scope["path"])
            await send(message)

        try:
            await super().__call__(scope, receive, send_with_headers)
        finally:
            note(self.access_stats, scope, status, started)
