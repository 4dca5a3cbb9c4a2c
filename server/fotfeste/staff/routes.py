"""The staff portal's pages: login, password, referral codes, cards, outcomes and the audit log."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.errors import InvalidInput, NotFound
from fotfeste.settings import Settings
from fotfeste.staff import card, logic, outcomes, pages, sessions, store, user_store
from fotfeste.staff.guard import (
    EXCEPTION_HANDLERS,
    expired_cookie,
    locale_of,
    login_cookie_name,
    make_cookie,
    new_login_csrf,
    session_cookie_name,
    staff_guard,
    staff_of,
)
from fotfeste.staff.pages import translator
from fotfeste.staff.sources import SOURCES
from fotfeste.web.deps import DB, AppClock, AppSettings
from fotfeste.web.state import shared
from fotfeste.web.throttle import throttled

AnyRequest = Request[Any, Any, Any]


def _see(path: str) -> Redirect:
    return Redirect(path, status_code=303)


def _text(form: Any, name: str, limit: int) -> str:
    value = str(form.get(name, "")).strip()
    if len(value) > limit:
        raise InvalidInput(f"{name} has at most {limit} characters", field=name)
    return value


def _code(text: str) -> str:
    code = logic.normalise_referral_code(text)
    if code is None:
        raise NotFound("No such code")
    return code


async def _release(
    db: Database, clock: Clock, settings: Settings, clinic_id: str
) -> outcomes.Report:
    return await outcomes.released_outcomes(
        db,
        clock,
        clinic_id,
        SOURCES,
        epsilon=settings.outcomes_epsilon,
        zone=settings.outcomes_zone,
    )


class StaffPortal(Controller):
    path = "/staff"
    guards = [staff_guard]
    exception_handlers = EXCEPTION_HANDLERS  # type: ignore[assignment]
    include_in_schema = False

    @get("/")
    async def home(self) -> Redirect:
        """The portal's start page is the list of codes."""
        return _see("/staff/codes")

    # --- login, logout, password, language --------------------------------------------------
    @get("/login", opt={"public": True})
    async def login_form(self, request: AnyRequest, settings: AppSettings) -> Response[Any]:
        """The login form, with a fresh double-submit CSRF cookie."""
        if request.state.staff is not None:
            return _see("/staff/codes")
        return self._login_page(request, settings, error=None, status_code=200)

    def _login_page(
        self, request: AnyRequest, settings: AppSettings, *, error: str | None, status_code: int
    ) -> Response[Any]:
        csrf = new_login_csrf()
        response = pages.render(
            "login.html",
            locale_of(request),
            status_code=status_code,
            session=None,
            csrf=csrf,
            error=error,
            chosen_locale=logic.pick_locale(chosen)
            if (chosen := request.query_params.get("lang"))
            else "",
        )
        response.set_cookie(make_cookie(settings, login_cookie_name(settings), csrf))
        return response

    # Per-client limit on top of the per-user lockout, against guessing across many users:
    # counted in the database, so several app processes share it (web/shared_limits.py).
    @post("/login", opt={"public": True}, status_code=303, guards=[throttled("staff_login")])
    async def login(
        self, request: AnyRequest, db: DB, clock: AppClock, settings: AppSettings
    ) -> Response[Any]:
        """Check e-mail and password; five failures in a row lock the user out for 15 minutes."""
        form = await request.form()
        try:
            token = await sessions.login(
                db,
                clock,
                shared(request).staff_unknown_addresses,
                _text(form, "email", 254),
                str(form.get("password", ""))[:1024],
                page_locale=locale_of(request),  # the login page's ?lang=, else the browser's
            )
        except sessions.LoginRefused as refused:
            status = 429 if refused.key == "login.locked" else 401
            return self._login_page(request, settings, error=refused.key, status_code=status)
        response = _see("/staff/codes")
        response.set_cookie(make_cookie(settings, session_cookie_name(settings), token))
        response.set_cookie(expired_cookie(settings, login_cookie_name(settings)))
        return response

    @post("/logout", opt={"no_password": True}, status_code=303)
    async def logout(self, request: AnyRequest, db: DB, settings: AppSettings) -> Response[Any]:
        """End this session on the server and in the browser."""
        await user_store.close_session(db, staff_of(request).token_hash)
        response = _see("/staff/login")
        response.set_cookie(expired_cookie(settings, session_cookie_name(settings)))
        return response

    @get("/password", opt={"no_password": True})
    async def password_form(self, request: AnyRequest) -> Response[Any]:
        """Change the password (required after a one-time password)."""
        return self._password_page(request, error=None, status_code=200)

    def _password_page(
        self, request: AnyRequest, *, error: str | None, status_code: int
    ) -> Response[Any]:
        session = staff_of(request)
        return pages.render(
            "password.html",
            locale_of(request),
            status_code=status_code,
            session=session,
            csrf=session.csrf,
            error=error,
            min_length=logic.MIN_PASSWORD_LENGTH,
        )

    @post("/password", opt={"no_password": True}, status_code=303)
    async def change_password(
        self, request: AnyRequest, db: DB, clock: AppClock, settings: AppSettings
    ) -> Response[Any]:
        """Set a new password; every other session of the user ends."""
        session = staff_of(request)
        form = await request.form()
        current, new = str(form.get("current", "")), str(form.get("new", ""))
        if not await sessions.verify_password(
            await user_store.password_hash(db, session.staff_id), current
        ):
            return self._password_page(request, error="password.wrong", status_code=400)
        problem = logic.check_new_password(new, str(form.get("repeat", "")), current)
        if problem:
            return self._password_page(request, error=problem, status_code=400)
        await user_store.set_password(
            db, clock, session.staff_id, await sessions.hash_password(new), must_change=False
        )
        token = await sessions.login(
            db, clock, shared(request).staff_unknown_addresses, session.email, new
        )
        response = _see("/staff/codes")
        response.set_cookie(make_cookie(settings, session_cookie_name(settings), token))
        return response

    @post("/language", opt={"no_password": True}, status_code=303)
    async def language(self, request: AnyRequest, db: DB) -> Redirect:
        """Remember the portal language for this staff member."""
        form = await request.form()
        await user_store.set_locale(
            db,
            staff_of(request).staff_id,
            logic.pick_locale(str(form.get("locale", ""))),
            chosen=True,
        )
        target = str(form.get("next", ""))
        return _see(
            target if target.startswith("/staff/") and "//" not in target else "/staff/codes"
        )

    # --- referral codes ---------------------------------------------------------------------
    @get("/codes")
    async def codes(self, request: AnyRequest, db: DB) -> Response[Any]:
        """The clinic's codes, newest first, and the form for a new one."""
        return await self._codes_page(request, db, error=None, status_code=200)

    async def _codes_page(
        self,
        request: AnyRequest,
        db: DB,
        *,
        error: str | None,
        status_code: int,
        typed: dict[str, str] | None = None,
    ) -> Response[Any]:
        """The list and the form: filled with what was just typed when it was refused, else
        with the newest code's details (most codes share the clinic's contacts)."""
        session = staff_of(request)
        rows = await store.codes(db, session.clinic_id)
        return pages.render(
            "codes.html",
            locale_of(request),
            status_code=status_code,
            session=session,
            csrf=session.csrf,
            codes=rows,
            last=typed if typed is not None else rows[0] if rows else None,
            programmes=logic.PROGRAMMES,
            error=error,
        )

    @post("/codes", status_code=303)
    async def create_code(self, request: AnyRequest, db: DB, clock: AppClock) -> Response[Any]:
        """Create a referral code for a programme, with the clinic's contacts and home area."""
        session = staff_of(request)
        form = await request.form()
        try:
            fields = {
                "programme": _text(form, "programme", 20),
                "locale": _text(form, "locale", 2),
                "contact_phone": _text(form, "contact_phone", 60),
                "contact_hours": _text(form, "contact_hours", 200),
                "contact_address": _text(form, "contact_address", 200),
                "home_area": _text(form, "home_area", 100),
                "home_lat": logic.parse_coordinate(str(form.get("home_lat", "")), 90, "home_lat"),
                "home_lon": logic.parse_coordinate(str(form.get("home_lon", "")), 180, "home_lon"),
            }
            if fields["programme"] not in logic.PROGRAMMES:
                raise InvalidInput("Choose a programme", field="programme")
            if fields["locale"] not in logic.LOCALES:
                raise InvalidInput("Choose the card's language", field="locale")
        except InvalidInput as problem:
            typed = {name: str(form.get(name, ""))[:200] for name in store.CODE_FIELDS}
            return await self._codes_page(
                request, db, error=problem.field, status_code=400, typed=typed
            )
        code = await store.create_code(
            db, clock, session.clinic_id, session.staff_id, session.email, fields
        )
        return _see(f"/staff/codes/{code}")

    @get("/codes/{code:str}")
    async def code(self, request: AnyRequest, code: FromPath[str], db: DB) -> Response[Any]:
        """One code: its details, its cards, and revocation."""
        session = staff_of(request)
        row = await store.code(db, session.clinic_id, _code(code))
        return pages.render(
            "code.html", locale_of(request), session=session, csrf=session.csrf, code=row
        )

    @post("/codes/{code:str}/revoke", status_code=303)
    async def revoke(
        self, request: AnyRequest, code: FromPath[str], db: DB, clock: AppClock
    ) -> Redirect:
        """Revoke a code: nobody new can accept it; people already linked stay linked."""
        session = staff_of(request)
        row = await store.code(db, session.clinic_id, _code(code))
        await store.revoke_code(
            db, clock, session.clinic_id, session.staff_id, session.email, row["code"]
        )
        return _see(f"/staff/codes/{row['code']}")

    @get("/codes/{code:str}/card")
    async def card(
        self, request: AnyRequest, code: FromPath[str], db: DB, settings: AppSettings
    ) -> Response[Any]:
        """The printable discharge card (A6 or A4) in the code's language, or ?lang=.

        A revoked code prints no card (it would not work): its page says it is revoked.
        """
        session = staff_of(request)
        row = await store.code(db, session.clinic_id, _code(code))
        if row["revoked_at"]:
            return _see(f"/staff/codes/{row['code']}")
        size = "a4" if request.query_params.get("size") == "a4" else "a6"
        locale = logic.pick_locale(request.query_params.get("lang"), row["locale"])
        url = logic.join_url(settings.public_url, row["code"])
        return pages.render(
            "card.html",
            locale,
            session=session,
            code=row,
            clinic=session.clinic_name,
            size=size,
            url=url,
            qr_svg=card.qr_svg(url, translator(locale)("card.qr_label", code=row["code"])),
            app_url=settings.public_url,
        )

    # --- outcomes and audit -----------------------------------------------------------------
    @get("/outcomes")
    async def outcomes(
        self, request: AnyRequest, db: DB, clock: AppClock, settings: AppSettings
    ) -> Response[Any]:
        """This month's outcomes per programme: differentially private, small cells suppressed."""
        session = staff_of(request)
        report = await _release(db, clock, settings, session.clinic_id)
        return pages.render(
            "outcomes.html", locale_of(request), session=session, csrf=session.csrf, report=report
        )

    @get("/outcomes.csv")
    async def outcomes_csv(
        self, request: AnyRequest, db: DB, clock: AppClock, settings: AppSettings
    ) -> Response[str]:
        """The same release as CSV, with suppressed cells marked and its ε."""
        session = staff_of(request)
        report = await _release(db, clock, settings, session.clinic_id)
        return Response(
            outcomes.to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": 'attachment; filename="fotfeste-outcomes.csv"',
                "cache-control": "no-store",
            },
        )

    @get("/audit")
    async def audit(self, request: AnyRequest, db: DB) -> Response[Any]:
        """Who did what, when: codes created and revoked, logins, password changes."""
        session = staff_of(request)
        return pages.render(
            "audit.html",
            locale_of(request),
            session=session,
            csrf=session.csrf,
            entries=await store.audit_log(db, session.clinic_id),
        )


def staff_routes() -> list[ControllerRouterHandler]:
    static = create_static_files_router(
        path="/staff/static", directories=[pages.STATIC_DIR], include_in_schema=False
    )
    return [StaffPortal, static]
