"""Pure rules of the staff side: referral codes, passwords, lockout, and the outcome statistics."""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from fotfeste.errors import InvalidInput

PROGRAMMES = ("aftercare", "waiting-list", "clinic-16")
LOCALES = ("sv", "nb", "da", "en")
MEASURES = ("burden", "days_used", "belief")
# The answer range of each check-up measure: the bounded domain of the released medians.
BOUNDS: dict[str, tuple[float, float]] = {
    "burden": (0, 10),
    "days_used": (0, 30),
    "belief": (0, 10),
}

# --- referral codes ---------------------------------------------------------------------------
# Three letters and four digits, e.g. "KMR-4827". The letters are chosen so that their names are
# told apart when read aloud over a phone in Swedish, Norwegian, Danish and English (no
# B/D/P/T/V/E/G "e"-rhymes, no M/N, no F/S, no vowels that look like digits); digits skip 0 and 1.
CODE_LETTERS = "AHKLMRX"
CODE_DIGITS = "23456789"


def new_referral_code() -> str:
    letters = "".join(secrets.choice(CODE_LETTERS) for _ in range(3))
    digits = "".join(secrets.choice(CODE_DIGITS) for _ in range(4))
    return f"{letters}-{digits}"


def normalise_referral_code(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes) in its printed form, or None if it cannot be."""
    compact = "".join(c for c in text.upper() if c not in " -")
    if (
        len(compact) != 7
        or any(c not in CODE_LETTERS for c in compact[:3])
        or any(c not in CODE_DIGITS for c in compact[3:])
    ):
        return None
    return f"{compact[:3]}-{compact[3:]}"


def join_url(public_url: str, code: str) -> str:
    """Where the card's QR code leads: the PWA's join screen for this code."""
    return f"{public_url.rstrip('/')}/#/join/{code}"


# --- passwords, lockout and sessions ------------------------------------------------------------
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_IDLE = timedelta(minutes=30)
SESSION_MAX = timedelta(hours=10)


def one_time_password() -> str:
    """A password to type once and change: 20 base32 characters (100 bits) in groups of five."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    text = "".join(secrets.choice(alphabet) for _ in range(20))
    return "-".join(text[i : i + 5] for i in range(0, 20, 5))


def check_new_password(new: str, repeat: str, current: str) -> str | None:
    """The i18n key of what is wrong with a new password, or None when it may be used."""
    if new != repeat:
        return "password.mismatch"
    if len(new) < MIN_PASSWORD_LENGTH:
        return "password.too_short"
    if len(new) > MAX_PASSWORD_LENGTH:
        return "password.too_long"
    if new == current:
        return "password.same"
    return None


def after_failed_login(failed_before: int, now: datetime) -> tuple[int, datetime | None]:
    """The new failure count and, once it reaches the limit, when the lock lifts."""
    failed = failed_before + 1
    if failed >= MAX_FAILED_LOGINS:
        return 0, now + LOCKOUT
    return failed, None


def session_expiry(created_at: datetime, now: datetime) -> datetime:
    """A session lives SESSION_IDLE past its last use, and never beyond SESSION_MAX."""
    return min(now + SESSION_IDLE, created_at + SESSION_MAX)


def pick_locale(*candidates: str | None) -> str:
    """The first supported language among the candidates (query, profile, Accept-Language)."""
    for candidate in candidates:
        if not candidate:
            continue
        for part in candidate.split(","):
            tag = part.split(";")[0].strip().lower()
            base = tag.split("-")[0]
            if base in {"no", "nn"}:
                base = "nb"
            if base in LOCALES:
                return base
    return "en"


def parse_coordinate(text: str, limit: float, name: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{name} must be a number", field=name) from None
    if not math.isfinite(value) or abs(value) > limit:
        raise InvalidInput(f"{name} must be between -{limit:g} and {limit:g}", field=name)
    return value


# --- small-cell suppression --------------------------------------------------------------------
MIN_CELL = 5

Cell = int | None  # None: suppressed


def is_small(count: int) -> bool:
    """Fewer than MIN_CELL people, but some: a count that could point at someone."""
    return 0 < count < MIN_CELL


def protect(
    total: int, parts: Mapping[str, int], hidden_already: Iterable[str] = ()
) -> tuple[Cell, dict[str, Cell]]:
    """Suppress small cells of a partition whose total is shown, and enough others to hide them.

    Primary: every part with 1–4 people (and any the caller has hidden for another reason).
    Secondary: while exactly one part is hidden (the total minus the others would give it away)
    or the hidden parts add up to 1–4 (together they would still point at someone), hide the
    smallest shown part; with none left, hide the total. A small total hides everything.
    """
    if is_small(total):
        return None, dict.fromkeys(parts)
    hidden = {name for name, count in parts.items() if is_small(count)} | set(hidden_already)
    shown_total: Cell = total

    def hidden_sum() -> int:
        return sum(parts[name] for name in hidden)

    while hidden and (len(hidden) == 1 or is_small(hidden_sum())):
        candidates = sorted((count, name) for name, count in parts.items() if name not in hidden)
        if not candidates:
            shown_total = None
            break
        hidden.add(candidates[0][1])
    return shown_total, {name: None if name in hidden else count for name, count in parts.items()}


def protect_columns(
    rows: Mapping[str, Mapping[str, int]],
    hidden_already: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, dict[str, Cell]]:
    """Protect each column of a table whose rows add up to a total row (named "total").

    `hidden_already` maps a column to rows hidden by another partition they belong to.
    """
    names = [name for name in rows if name != "total"]
    columns = {column for row in rows.values() for column in row}
    out: dict[str, dict[str, Cell]] = {name: {} for name in [*names, "total"]}
    for column in sorted(columns):
        parts = {name: rows[name].get(column, 0) for name in names}
        forced = (hidden_already or {}).get(column, ())
        total, shown = protect(sum(parts.values()), parts, forced)
        for name in names:
            out[name][column] = shown[name]
        out["total"][column] = total
    return out


# --- paired statistics -------------------------------------------------------------------------
class Noise(Protocol):
    """How each figure about people is released (staff/release.py: differential privacy)."""

    def count(self, n: int) -> int: ...
    def median(self, values: Sequence[float], low: float, high: float) -> float: ...


class PBand(Protocol):
    """The paired test's p band where it may be shown (staff/release.py), else None."""

    def __call__(
        self, before: Sequence[float], after: Sequence[float], released_n: int | None
    ) -> str | None: ...


@dataclass(frozen=True)
class PairedSummary:
    """Baseline against a follow-up among those who answered both; all None when n is small."""

    n: Cell
    median_before: float | None = None
    median_after: float | None = None
    median_change: float | None = None
    # A band such as "<0.05" of the two-sided Wilcoxon signed-rank test, where shown.
    p_band: str | None = None


def paired_summary(
    before: Sequence[float],
    after: Sequence[float],
    released_n: int,
    bounds: tuple[float, float],
    noise: Noise,
    band: PBand,
) -> PairedSummary:
    """Medians of the pairs, released with noise; nothing when the released n is small."""
    if released_n < MIN_CELL:
        return PairedSummary(n=None if released_n else 0)
    low, high = bounds
    return PairedSummary(
        n=released_n,
        median_before=noise.median(before, low, high),
        median_after=noise.median(after, low, high),
        median_change=noise.median(
            [a - b for b, a in zip(before, after, strict=True)], low - high, high - low
        ),
        p_band=band(before, after, released_n),
    )


def median_or_none(
    values: Sequence[float], shown_n: Cell, noise: Noise, bounds: tuple[float, float]
) -> float | None:
    """A group's released median, only where its count is shown."""
    if shown_n is None or shown_n == 0:
        return None
    return noise.median(values, *bounds)


# --- one programme's outcomes ------------------------------------------------------------------
REGULAR_MEETINGS_PER_30_DAYS = 4  # about weekly, as "regular attendance" in the Norwegian study


@dataclass(frozen=True)
class Checkup:
    burden: float
    days_used: float
    belief: float

    def measure(self, name: str) -> float:
        value: float = getattr(self, name)
        return value


@dataclass(frozen=True)
class PersonRecord:
    """One linked person's inputs to the aggregates. Used in memory only; never shown."""

    programme: str
    active_recently: bool
    due: frozenset[str] = frozenset()
    checkups: Mapping[str, Checkup] = field(default_factory=dict)
    meetings_last_30: int | None = None


@dataclass(frozen=True)
class Completion:
    timepoint: str
    eligible: Cell
    completed: Cell


@dataclass(frozen=True)
class Change:
    measure: str
    timepoint: str
    summary: PairedSummary


@dataclass(frozen=True)
class Regularity:
    group: str  # "regular", "not_regular" or "total"
    n: Cell
    median_days_used: float | None


@dataclass(frozen=True)
class ProgrammeOutcomes:
    programme: str
    completion: list[Completion]
    changes: list[Change]
    regularity: list[Regularity]


def is_regular_attender(meetings_last_30: int) -> bool:
    return meetings_last_30 >= REGULAR_MEETINGS_PER_30_DAYS


def programme_outcomes(
    programme: str,
    people: Sequence[PersonRecord],
    timepoints: Sequence[str],
    noise: Noise,
    band: PBand,
) -> ProgrammeOutcomes:
    """Follow-up completion, paired changes from baseline and days with use by attendance.

    `timepoints` are in schedule order; the first is the baseline. Every count and median is
    released through `noise`; suppression is decided on the released counts.
    """
    completion = []
    for point in timepoints:
        eligible = [p for p in people if point in p.due]
        due = noise.count(len(eligible))
        done = min(noise.count(sum(1 for p in eligible if point in p.checkups)), due)
        total, parts = protect(due, {"done": done, "missed": due - done})
        completion.append(Completion(point, total, parts["done"]))
    changes = []
    if timepoints:
        baseline, *followups = timepoints
        for point in followups:
            paired = [p for p in people if baseline in p.checkups and point in p.checkups]
            released_n = noise.count(len(paired))  # the same people for every measure
            for measure in MEASURES:
                before = [p.checkups[baseline].measure(measure) for p in paired]
                after = [p.checkups[point].measure(measure) for p in paired]
                summary = paired_summary(before, after, released_n, BOUNDS[measure], noise, band)
                changes.append(Change(measure, point, summary))
    regularity = _regularity(people, timepoints, noise)
    return ProgrammeOutcomes(programme, completion, changes, regularity)


def _latest_days_used(person: PersonRecord, timepoints: Sequence[str]) -> float | None:
    answered = [t for t in timepoints if t in person.checkups]
    return person.checkups[answered[-1]].days_used if answered else None


def _regularity(
    people: Sequence[PersonRecord], timepoints: Sequence[str], noise: Noise
) -> list[Regularity]:
    """Days with use at each person's latest follow-up, split by meeting attendance."""
    groups: dict[str, list[float]] = {"regular": [], "not_regular": []}
    for person in people:
        days = _latest_days_used(person, timepoints)
        if days is None or person.meetings_last_30 is None:
            continue
        regular = is_regular_attender(person.meetings_last_30)
        groups["regular" if regular else "not_regular"].append(days)
    counts = {name: noise.count(len(values)) for name, values in groups.items()}
    total, shown = protect(sum(counts.values()), counts)
    bounds = BOUNDS["days_used"]
    rows = [
        Regularity(name, shown[name], median_or_none(groups[name], shown[name], noise, bounds))
        for name in groups
    ]
    everyone = [d for values in groups.values() for d in values]
    rows.append(Regularity("total", total, median_or_none(everyone, total, noise, bounds)))
    return rows
