"""The app's Request: JSON nested deeper than any API shape is a 400, never a 500 with a trace."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException


class FotfesteRequest(Request):  # type: ignore[type-arg]
    """Litestar decodes a body to plain values before converting it to the route's type; that
    first pass recurses once per level, so `[` × 20,000 raised RecursionError on every route."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise ClientException("The JSON body is nested too deeply") from None
