"""Staff-portal test helpers: clinics and users made with the real CLI, a browser-like client."""

from __future__ import annotations

import contextlib
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from fotfeste.cli import build_parser
from fotfeste.ids import new_id
from fotfeste.settings import Settings

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_PASSWORD = re.compile(r"password[^:]*: (\S+)$", re.MULTILINE)
NEW_PASSWORD = "a long and memorable phrase"


def fotfeste(settings: Settings, *argv: str) -> tuple[int, str]:
    """Run `fotfeste ARGV…` in this process against the server's database; (exit code, output)."""
    args = build_parser().parse_args(list(argv))
    out = io.StringIO()
    # In a thread of its own: the command runs its own event loop, and a test may be inside one
    # (Playwright's sync API keeps one running).
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(out),
        ThreadPoolExecutor(1) as pool,
    ):
        code: int = pool.submit(args.run, args, settings).result()
    return code, out.getvalue()


@dataclass
class StaffUser:
    clinic: str
    email: str
    password: str


def add_staff(settings: Settings, clinic: str | None = None) -> StaffUser:
    """A new clinic (unless named) and a staff user with a one-time password."""
    if clinic is None:
        clinic = f"Clinic {new_id()}"
        code, out = fotfeste(settings, "staff", "add-clinic", clinic)
        assert code == 0, out
    email = f"staff-{new_id().lower().replace('_', '')}@clinic.example"
    code, out = fotfeste(settings, "staff", "add-user", "--clinic", clinic, "--email", email)
    assert code == 0, out
    match = _PASSWORD.search(out)
    assert match, out
    return StaffUser(clinic, email, match.group(1))


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


class StaffClient:
    """A staff member's browser: a cookie jar, forms with their CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=20, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **kw: object) -> httpx.Response:
        return self.http.get(path, **kw)  # type: ignore[arg-type]

    def submit(self, page: str, action: str, fields: dict[str, str]) -> httpx.Response:
        """Open `page`, take its CSRF token, and post the form to `action`."""
        answer = self.http.get(page)
        assert answer.status_code == 200, answer.text
        return self.http.post(action, data={"csrf": csrf_of(answer.text), **fields})

    def login(self, email: str, password: str) -> httpx.Response:
        return self.submit("/staff/login", "/staff/login", {"email": email, "password": password})

    def sign_in(self, user: StaffUser) -> None:
        """Log in with the one-time password and set a real one, as a new staff member does."""
        answer = self.login(user.email, user.password)
        assert answer.status_code == 303 and answer.headers["location"] == "/staff/codes"
        answer = self.submit(
            "/staff/password",
            "/staff/password",
            {"current": user.password, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
        )
        assert answer.status_code == 303, answer.text
        user.password = NEW_PASSWORD

    def create_code(self, programme: str = "aftercare", **fields: str) -> str:
        values = {
            "programme": programme,
            "locale": "sv",
            "contact_phone": "08-123 456 78",
            "contact_hours": "Mon–Fri 8–16",
            "contact_address": "Storgatan 1, Stockholm",
            "home_area": "Södermalm",
            "home_lat": "59.31",
            "home_lon": "18.07",
            **fields,
        }
        answer = self.submit("/staff/codes", "/staff/codes", values)
        assert answer.status_code == 303, answer.text
        return str(answer.headers["location"]).rsplit("/", 1)[-1]
