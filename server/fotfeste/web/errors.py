"""Every failure is a JSON answer with a readable detail; nothing leaks a stack trace."""

from __future__ import annotations

import logging
import sqlite3

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import ExceptionHandlersMap

from fotfeste.db import Unavailable
from fotfeste.errors import DomainError, TooManyWrites
from fotfeste.kdf import KdfBusy

log = logging.getLogger("fotfeste.errors")


def _json(
    status_code: int, detail: str, extra: object = None, headers: dict[str, str] | None = None
) -> Response[dict[str, object]]:
    body: dict[str, object] = {"status_code": status_code, "detail": detail}
    if extra is not None:
        body["extra"] = extra
    return Response(body, status_code=status_code, media_type=MediaType.JSON, headers=headers)


def domain_error(_: Request, exc: DomainError) -> Response[dict[str, object]]:  # type: ignore[type-arg]
    extra = [{"key": exc.field, "message": exc.detail}] if exc.field else None
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyWrites) else None
    return _json(exc.status_code, exc.detail, extra, headers)


def database_error(
    request: Request,  # type: ignore[type-arg]
    exc: sqlite3.OperationalError | Unavailable,
) -> Response[dict[str, object]]:
    """A busy, locked or full database is a passing condition: 503 with Retry-After, not a 500."""
    message = str(exc).lower()
    if isinstance(exc, Unavailable) or any(
        word in message for word in ("locked", "busy", "full", "disk i/o")
    ):
        log.warning("database unavailable on %s %s: %s", request.method, _route(request), exc)
        return _json(
            HTTP_503_SERVICE_UNAVAILABLE,
            "The service is busy. Nothing was lost; please try again shortly.",
            headers={"Retry-After": "5"},
        )
    return internal_error(request, exc)


def kdf_busy(request: Request, exc: KdfBusy) -> Response[dict[str, object]]:  # type: ignore[type-arg]
    """The argon2 pool of this kind is full (a flood): 503 at once rather than a long queue."""
    log.warning("argon2 pool %s full on %s %s", exc.kind, request.method, _route(request))
    return _json(
        HTTP_503_SERVICE_UNAVAILABLE,
        "The service is busy. Nothing was changed; please try again in a moment.",
        headers={"Retry-After": str(exc.retry_after)},
    )


def internal_error(request: Request, exc: Exception) -> Response[dict[str, object]]:  # type: ignore[type-arg]
    if isinstance(exc, HTTPException):
        return _json(exc.status_code, exc.detail, exc.extra or None, exc.headers)
    log.exception("unhandled error on %s %s", request.method, _route(request))
    return _json(
        HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again."
    )


def _route(request: Request) -> str:  # type: ignore[type-arg]
    """The route template (no ids, no query string) so logs hold no personal values."""
    return str(request.scope.get("path_template") or "(unrouted)")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error,
    sqlite3.OperationalError: database_error,
    Unavailable: database_error,
    KdfBusy: kdf_busy,
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error,
}
