"""The portal's door: session cookie, CSRF check on every form, login redirects and locale."""

from __future__ import annotations

import secrets
from typing import Any, cast

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect

from fotfeste.errors import NotFound
from fotfeste.kdf import KdfBusy
from fotfeste.settings import Settings
from fotfeste.staff import logic, pages
from fotfeste.staff.sessions import StaffSession, current_session, same_token
from fotfeste.web import throttle
from fotfeste.web.state import shared

_SAFE_METHODS = frozenset({"GET", "HEAD"})


def _secure(settings: Settings) -> bool:
    return settings.public_url.startswith("https://")


def cookie_name(settings: Settings, base: str) -> str:
    # __Host- binds the cookie to this exact origin (Secure, Path=/, no Domain); browsers check.
    return f"__Host-{base}" if _secure(settings) else base


def session_cookie_name(settings: Settings) -> str:
    return cookie_name(settings, "fotfeste_staff")


def login_cookie_name(settings: Settings) -> str:
    return cookie_name(settings, "fotfeste_staff_login")


def make_cookie(settings: Settings, name: str, value: str, *, max_age: int | None = None) -> Cookie:
    """HttpOnly, SameSite=Strict, Path=/, Secure when the public URL is https."""
    return Cookie(
        key=name,
        value=value,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(settings),
        max_age=max_age,
    )


def expired_cookie(settings: Settings, name: str) -> Cookie:
    return make_cookie(settings, name, "", max_age=0)


class LoginRequired(Exception):
    """No live session: the page answers with a redirect to the login form."""


class PasswordChangeRequired(Exception):
    """A one-time password is still in use: every page leads to the password form."""


class CSRFRefused(Exception):
    """A form post without the right token: refused, and nothing is done."""


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)


async def staff_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Find the session; refuse any form post whose CSRF token is missing or wrong.

    Signed in, the token is the session's own (a synchroniser token kept server-side). On the
    login form, before any session, it is a double-submit cookie that a cross-site page can
    neither read nor set.
    """
    app = shared(connection)
    settings = app.settings
    token = connection.cookies.get(session_cookie_name(settings))
    session = await current_session(app.db, app.clock, token) if token else None
    connection.state.staff = session
    if session is None:
        # Anyone without a session (the login page and form, a guessed cookie, a page asked for
        # before signing in) counts in the same per-address limit as the API's public routes.
        throttle.check(connection, "public")
    public = bool(handler.opt.get("public"))
    if cast(Request[Any, Any, Any], connection).method not in _SAFE_METHODS:
        form = await cast(Request[Any, Any, Any], connection).form()
        sent = str(form.get("csrf", ""))
        if session is not None:
            expected = session.csrf
        elif public:
            expected = connection.cookies.get(login_cookie_name(settings), "")
        else:
            raise LoginRequired
        if not same_token(expected, sent):
            raise CSRFRefused
    if session is None and not public:
        raise LoginRequired
    if session is not None and session.must_change_password and not handler.opt.get("no_password"):
        raise PasswordChangeRequired


def staff_of(request: Request[Any, Any, Any]) -> StaffSession:
    """The signed-in staff member (the guard has made sure there is one)."""
    session: StaffSession | None = request.state.staff
    if session is None:
        raise LoginRequired
    return session


def locale_of(request: Request[Any, Any, Any]) -> str:
    session: StaffSession | None = getattr(request.state, "staff", None)
    return logic.pick_locale(
        request.query_params.get("lang"),
        session.locale if session else None,
        request.headers.get("accept-language"),
    )


def _login_redirect(_: Request[Any, Any, Any], __: Exception) -> Response[Any]:
    return Redirect("/staff/login", status_code=303)


def _password_redirect(_: Request[Any, Any, Any], __: Exception) -> Response[Any]:
    return Redirect("/staff/password", status_code=303)


def _csrf_refused(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    return pages.render(
        "message.html", locale_of(request), status_code=403, session=None, key="csrf"
    )


def _not_found(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    session = getattr(request.state, "staff", None)
    return pages.render(
        "message.html",
        locale_of(request),
        status_code=404,
        session=session,
        csrf=session.csrf if session else "",
        key="not_found",
    )


def _busy(request: Request[Any, Any, Any], exc: KdfBusy) -> Response[Any]:
    """The password pool is full (a flood of log-ins): 503 at once, nothing done."""
    session = getattr(request.state, "staff", None)
    response = pages.render(
        "message.html",
        locale_of(request),
        status_code=503,
        session=session,
        csrf=session.csrf if session else "",
        key="busy",
    )
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


EXCEPTION_HANDLERS = {
    LoginRequired: _login_redirect,
    PasswordChangeRequired: _password_redirect,
    CSRFRefused: _csrf_refused,
    NotFound: _not_found,
    KdfBusy: _busy,
}
