"""Settings from FOTFESTE_* environment variables: the only module that reads the environment."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

# `fotfeste serve` sends pushes from one process of its own (bench.push: the API's loop stays
# free during a 100,000-reminder minute); FOTFESTE_PUSH_WORKERS=0 sends from the API's process.
DEFAULT_PUSH_WORKERS = 1

# Public push services of Google, Mozilla, Apple and Microsoft (api.md default).
DEFAULT_PUSH_HOSTS: tuple[str, ...] = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "web.push.apple.com",
    "*.notify.windows.com",
)

_REPO_PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used."""


class RateLimit(msgspec.Struct, frozen=True):
    """At most `requests` per `seconds` from one client."""

    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """Parse '20/3600' (requests per seconds)."""
        try:
            requests, seconds = (int(part) for part in text.split("/", 1))
        except ValueError:
            raise SettingsError(f"rate limit {text!r} must look like '20/3600'") from None
        if requests < 1 or seconds < 1:
            raise SettingsError(f"rate limit {text!r} must be positive")
        return cls(requests, seconds)


class MeetingFeed(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A meeting list the server keeps current by itself (FOTFESTE_MEETING_FEEDS, JSON)."""

    name: str
    url: str
    format: Literal["meeting-guide", "bmlt"]
    fellowship: str | None = None
    timezone: str | None = None


def _feeds(text: str) -> tuple[MeetingFeed, ...]:
    """'[{"name": "aa-se", "url": "https://…", "format": "meeting-guide"}, …]'."""
    try:
        feeds = msgspec.json.decode(text or "[]", type=tuple[MeetingFeed, ...])
    except msgspec.DecodeError as exc:
        raise SettingsError(f"FOTFESTE_MEETING_FEEDS: {exc}") from None
    for feed in feeds:
        if not feed.url.startswith(("https://", "http://")):
            raise SettingsError(f"FOTFESTE_MEETING_FEEDS: {feed.name}: url must be http(s)")
    return feeds


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a deployment can tune. Passed into create_app; never read from globals."""

    data_dir: Path = Path("var")
    # FOTFESTE_DATABASE_URL: None (or sqlite:///path) is SQLite; postgresql://… is PostgreSQL.
    database_url: str | None = None
    pwa_dir: Path = _REPO_PWA_DIR
    public_url: str = "http://127.0.0.1:8000"
    demo: bool = False  # demo meetings at start: `make run` turns them on (FOTFESTE_DEMO=1)
    push_hosts: tuple[str, ...] = DEFAULT_PUSH_HOSTS
    vapid_subject: str = "mailto:ops@fotfeste.invalid"
    # A deployer's own VAPID key (PEM, or the raw 32-byte scalar in base64url); None: the key file
    # in the data dir, generated on first start.
    vapid_private_key: str | None = None
    # Encryption is CPU work: this many processes do it beside the event loop (0: a thread).
    push_encrypt_processes: int = 1
    # Requests in flight (and connections) per push service. More hides a slow service's
    # latency (64 at ~75 ms: ~850 msg/s), but answers that arrive together are handled in one
    # turn of the event loop the API shares: on loopback, 256 made the API's p99 1.1 s during a
    # fan-out, 32 made it 0.18 s (bench/push.py, 2 busy cores).
    push_concurrency: int = 64
    # How often the scheduler and the sender look for due work when nobody wakes them.
    push_poll_seconds: float = 10.0
    # How long a claimed outbox row stays hidden; a crashed sender's rows come back after it.
    # Far longer than a claimed batch takes to send (256 posts, 10-second timeout, 64 at a time),
    # so a live sender is never overtaken by another pass.
    push_lease_seconds: int = 300
    # Loops that run in one app process at a time (reminder scheduler, supporter milestones,
    # meeting feeds) hold a lease this long, renewed every third of it: when their process dies,
    # another takes over within this time (workers.leased).
    lease_seconds: int = 30
    # Sender processes (`fotfeste push-worker`) that `fotfeste serve` starts beside the API; 0
    # sends from the API's own process. The environment's default is DEFAULT_PUSH_WORKERS: what
    # `serve` runs unless told otherwise. Settings built in code (tests, benches embedding the
    # app) send in-process unless they ask for workers.
    push_workers: int = 0
    rate_account_create: RateLimit = RateLimit(20, 3600)
    rate_recover: RateLimit = RateLimit(10, 900)
    rate_public: RateLimit = RateLimit(300, 60)
    # Answering a referral code (POST /api/me/clinic-link), per client address and per account:
    # the answer tells whether a code exists. An address gets more, as a group may link at once
    # on a clinic's Wi-Fi.
    rate_clinic_link: RateLimit = RateLimit(30, 900)
    rate_clinic_link_account: RateLimit = RateLimit(10, 900)
    # Staff log-in attempts per client address, on top of each user's lockout: against one
    # address guessing across many users. A clinic's staff may share one address.
    rate_staff_login: RateLimit = RateLimit(60, 900)
    # Writes of one signed-in account, per kind (responses, attendance, check-ins, plan): far
    # above what a person does (a week of check-ins replayed at once is 7), far below a script.
    quota_writes_minute: RateLimit = RateLimit(120, 60)
    quota_writes_hour: RateLimit = RateLimit(1200, 3600)
    # Rows one account may add: answers to one questionnaire in one day, meetings on one date.
    max_responses_per_day: int = 20
    max_attendance_per_day: int = 10
    max_body_bytes: int = 64 * 1024
    reader_connections: int = 4
    group_commit: bool = True
    log_level: str = "INFO"
    # How often the access summary (requests, errors and latency per route) is logged.
    access_summary_seconds: int = 60
    # A JSON file of crisis and support lines that extends ("mode": "extend", by id) or replaces
    # ("mode": "replace", the default) the shipped list (scales/crisis_resources.json).
    crisis_resources: Path | None = None
    meeting_feeds: tuple[MeetingFeed, ...] = ()
    # How often a configured feed is fetched again (conditional GET); how often the worker looks.
    meeting_feed_interval_seconds: int = 6 * 3600
    meeting_feed_poll_seconds: float = 60.0
    # Staff outcomes are released with differential privacy: this ε per calendar month per
    # clinic, split evenly over the figures about the people in one programme (staff/release.py).
    # Smaller is more private and noisier; 1 is a common choice for a monthly release.
    outcomes_epsilon: float = 1.0
    # The zone whose calendar months are the release periods.
    outcomes_zone: str = "Europe/Stockholm"

    @property
    def database_path(self) -> Path:
        if self.database_url is not None and self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return self.data_dir / "fotfeste.sqlite3"

    @property
    def postgresql(self) -> bool:
        return self.database_url is not None and self.database_url.startswith(
            ("postgresql://", "postgres://")
        )


def _database_url(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if text.startswith(("postgresql://", "postgres://")):
        return text
    if text.startswith("sqlite:///") and len(text) > len("sqlite:///"):
        return text
    raise SettingsError("must be sqlite:///path/to/file or postgresql://user@host/database")


def _bool(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be 0 or 1, not {text!r}")


def _int(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {text!r}") from None


def _push_workers(text: str) -> int:
    value = _int("FOTFESTE_PUSH_WORKERS", text)
    if value < 0:
        raise SettingsError(f"must be 0 (send from the API's process) or more, not {value}")
    return value


def _positive(name: str, text: str) -> int:
    value = _int(name, text)
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, not {value}")
    return value


def _epsilon(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"must be a number such as 1 or 0.5, not {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise SettingsError(f"must be a number above 0, not {text!r}")
    return value


def _zone(text: str) -> str:
    try:
        ZoneInfo(text.strip())
    except (ValueError, ZoneInfoNotFoundError):
        raise SettingsError(f"unknown time zone {text!r}") from None
    return text.strip()


def _hosts(text: str) -> tuple[str, ...]:
    return tuple(h.strip().lower() for h in text.split(",") if h.strip())


_MAILTO = re.compile(r"^mailto:[^@\s:/]+@[a-z0-9-]+(\.[a-z0-9-]+)+$", re.IGNORECASE)
_HTTPS = re.compile(r"^https://[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(/\S*)?$", re.IGNORECASE)


def _subject(text: str) -> str:
    """A contact Apple's push service accepts: mailto:user@domain or an https URL on a real host."""
    text = text.strip()
    if not (_MAILTO.match(text) or _HTTPS.match(text)) or "localhost" in text.lower():
        raise SettingsError(
            "must be mailto:someone@example.org or https://example.org (no spaces, no localhost)"
        )
    return text


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from FOTFESTE_* variables, leaving defaults for the ones not set."""
    env = os.environ if environ is None else environ
    readers: dict[str, tuple[str, Callable[[str], object]]] = {
        "FOTFESTE_DATA_DIR": ("data_dir", Path),
        "FOTFESTE_DATABASE_URL": ("database_url", _database_url),
        "FOTFESTE_PWA_DIR": ("pwa_dir", Path),
        "FOTFESTE_PUBLIC_URL": ("public_url", lambda t: t.rstrip("/")),
        "FOTFESTE_DEMO": ("demo", lambda t: _bool("FOTFESTE_DEMO", t)),
        "FOTFESTE_PUSH_HOSTS": ("push_hosts", _hosts),
        "FOTFESTE_VAPID_SUBJECT": ("vapid_subject", _subject),
        "FOTFESTE_RATE_ACCOUNT_CREATE": ("rate_account_create", RateLimit.parse),
        "FOTFESTE_RATE_RECOVER": ("rate_recover", RateLimit.parse),
        "FOTFESTE_RATE_PUBLIC": ("rate_public", RateLimit.parse),
        "FOTFESTE_RATE_CLINIC_LINK": ("rate_clinic_link", RateLimit.parse),
        "FOTFESTE_RATE_CLINIC_LINK_ACCOUNT": ("rate_clinic_link_account", RateLimit.parse),
        "FOTFESTE_RATE_STAFF_LOGIN": ("rate_staff_login", RateLimit.parse),
        "FOTFESTE_QUOTA_WRITES_MINUTE": ("quota_writes_minute", RateLimit.parse),
        "FOTFESTE_QUOTA_WRITES_HOUR": ("quota_writes_hour", RateLimit.parse),
        "FOTFESTE_MAX_RESPONSES_PER_DAY": (
            "max_responses_per_day",
            lambda t: _positive("FOTFESTE_MAX_RESPONSES_PER_DAY", t),
        ),
        "FOTFESTE_MAX_ATTENDANCE_PER_DAY": (
            "max_attendance_per_day",
            lambda t: _positive("FOTFESTE_MAX_ATTENDANCE_PER_DAY", t),
        ),
        "FOTFESTE_MAX_BODY_BYTES": (
            "max_body_bytes",
            lambda t: _int("FOTFESTE_MAX_BODY_BYTES", t),
        ),
        "FOTFESTE_READER_CONNECTIONS": (
            "reader_connections",
            lambda t: _int("FOTFESTE_READER_CONNECTIONS", t),
        ),
        "FOTFESTE_GROUP_COMMIT": ("group_commit", lambda t: _bool("FOTFESTE_GROUP_COMMIT", t)),
        "FOTFESTE_LOG_LEVEL": ("log_level", str.upper),
        "FOTFESTE_ACCESS_SUMMARY_SECONDS": (
            "access_summary_seconds",
            lambda t: _positive("FOTFESTE_ACCESS_SUMMARY_SECONDS", t),
        ),
        "FOTFESTE_VAPID_PRIVATE_KEY": ("vapid_private_key", str.strip),
        "FOTFESTE_PUSH_ENCRYPT_PROCESSES": (
            "push_encrypt_processes",
            lambda t: _int("FOTFESTE_PUSH_ENCRYPT_PROCESSES", t),
        ),
        "FOTFESTE_PUSH_CONCURRENCY": (
            "push_concurrency",
            lambda t: _int("FOTFESTE_PUSH_CONCURRENCY", t),
        ),
        "FOTFESTE_PUSH_LEASE_SECONDS": (
            "push_lease_seconds",
            lambda t: _positive("FOTFESTE_PUSH_LEASE_SECONDS", t),
        ),
        "FOTFESTE_LEASE_SECONDS": (
            "lease_seconds",
            lambda t: _positive("FOTFESTE_LEASE_SECONDS", t),
        ),
        "FOTFESTE_PUSH_WORKERS": ("push_workers", _push_workers),
        "FOTFESTE_PUSH_POLL_SECONDS": (
            "push_poll_seconds",
            lambda t: float(_int("FOTFESTE_PUSH_POLL_SECONDS", t)),
        ),
        "FOTFESTE_CRISIS_RESOURCES": ("crisis_resources", Path),
        "FOTFESTE_MEETING_FEEDS": ("meeting_feeds", _feeds),
        "FOTFESTE_OUTCOMES_EPSILON": ("outcomes_epsilon", _epsilon),
        "FOTFESTE_OUTCOMES_ZONE": ("outcomes_zone", _zone),
        "FOTFESTE_MEETING_FEED_INTERVAL": (
            "meeting_feed_interval_seconds",
            lambda t: _int("FOTFESTE_MEETING_FEED_INTERVAL", t),
        ),
    }
    values: dict[str, object] = {"push_workers": DEFAULT_PUSH_WORKERS}
    for name, (field, parse) in readers.items():
        if name in env:
            try:
                values[field] = parse(env[name])
            except SettingsError as exc:
                raise SettingsError(f"{name}: {exc}") from None
    return Settings(**values)  # type: ignore[arg-type]
