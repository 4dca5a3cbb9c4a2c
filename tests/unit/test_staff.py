"""Pure staff rules: referral codes, passwords, lockout, suppression and the paired statistics."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from fotfeste.staff import logic, release
from fotfeste.staff.logic import Checkup, PersonRecord

NOW = datetime(2026, 3, 16, 11, 0, tzinfo=UTC)


def test_codes_use_only_letters_and_digits_that_survive_being_read_aloud() -> None:
    codes = {logic.new_referral_code() for _ in range(300)}
    assert len(codes) > 290
    for code in codes:
        letters, digits = code.split("-")
        assert len(letters) == 3 and set(letters) <= set("AHKLMRX")
        assert len(digits) == 4 and set(digits) <= set("23456789")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("KMR-4827", "KMR-4827"),
        ("kmr4827", "KMR-4827"),
        (" k m r - 4 8 2 7 ", "KMR-4827"),
        ("KMR-4807", None),  # 0 is never used
        ("KMB-4827", None),
        ("KMR-482", None),
        ("", None),
    ],
)
def test_normalise_referral_code(typed: str, code: str | None) -> None:
    assert logic.normalise_referral_code(typed) == code


def test_join_url() -> None:
    assert logic.join_url("https://f.example/", "KMR-4827") == "https://f.example/#/join/KMR-4827"


@pytest.mark.parametrize(
    ("new", "repeat", "current", "problem"),
    [
        ("a-long-enough-phrase", "a-long-enough-phrase", "old", None),
        ("a-long-enough-phrase", "a-long-enough-phrasE", "old", "password.mismatch"),
        ("short", "short", "old", "password.too_short"),
        ("x" * 300, "x" * 300, "old", "password.too_long"),
        ("the-same-old-phrase", "the-same-old-phrase", "the-same-old-phrase", "password.same"),
    ],
)
def test_check_new_password(new: str, repeat: str, current: str, problem: str | None) -> None:
    assert logic.check_new_password(new, repeat, current) == problem


def test_one_time_password_is_long_and_grouped() -> None:
    groups = logic.one_time_password().split("-")
    assert [len(g) for g in groups] == [5, 5, 5, 5]


def test_lockout_after_five_failures() -> None:
    failed, locked = 0, None
    for _ in range(4):
        failed, locked = logic.after_failed_login(failed, NOW)
        assert locked is None
    failed, locked = logic.after_failed_login(failed, NOW)
    assert locked == NOW + logic.LOCKOUT and failed == 0


def test_session_expiry_is_idle_then_capped() -> None:
    assert logic.session_expiry(NOW, NOW) == NOW + timedelta(minutes=30)
    late = NOW + timedelta(hours=9, minutes=50)
    assert logic.session_expiry(NOW, late) == NOW + timedelta(hours=10)


@pytest.mark.parametrize(
    ("candidates", "locale"),
    [
        (("da", "sv"), "da"),
        ((None, "nb-NO,nb;q=0.9,en;q=0.5"), "nb"),
        (("no",), "nb"),
        (("de-DE,sv;q=0.8",), "sv"),
        (("fr",), "en"),
        ((), "en"),
    ],
)
def test_pick_locale(candidates: tuple[str | None, ...], locale: str) -> None:
    assert logic.pick_locale(*candidates) == locale


# --- suppression ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "parts", "shown_total", "shown"),
    [
        # 4 people: nothing shown. 5: shown.
        (4, {"a": 4}, None, {"a": None}),
        (5, {"a": 5}, 5, {"a": 5}),
        # Zero is no person, and shown.
        (5, {"a": 5, "b": 0}, 5, {"a": 5, "b": 0}),
        # One small cell: the smallest other cell goes too, or 21 - 12 - 6 would tell it.
        (21, {"a": 12, "b": 3, "c": 6}, 21, {"a": 12, "b": None, "c": None}),
        # Hiding the zero beside it would still leave 15 - 12 = 3 for the two: hide all three.
        (15, {"a": 12, "b": 3, "c": 0}, 15, {"a": None, "b": None, "c": None}),
        # Hiding a zero beside a 3 still leaves 3 to be worked out: hide one more.
        (23, {"a": 12, "b": 3, "c": 0, "d": 8}, 23, {"a": 12, "b": None, "c": None, "d": None}),
        # Two small cells that add up to 5 or more protect each other.
        (13, {"a": 6, "b": 3, "c": 4}, 13, {"a": 6, "b": None, "c": None}),
        # A lone small part with nothing else to hide: the total goes.
        (7, {"a": 3}, None, {"a": None}),
        (9, {"done": 5, "missed": 4}, 9, {"done": None, "missed": None}),
        (0, {"a": 0}, 0, {"a": 0}),
    ],
)
def test_protect(
    total: int, parts: dict[str, int], shown_total: int | None, shown: dict[str, int | None]
) -> None:
    assert logic.protect(total, parts) == (shown_total, shown)


def test_protected_cells_cannot_be_worked_out_from_the_total() -> None:
    for parts in ({"a": 1, "b": 9, "c": 9}, {"a": 2, "b": 0, "c": 7}, {"a": 4, "b": 5}):
        total, shown = logic.protect(sum(parts.values()), parts)
        hidden = [name for name, value in shown.items() if value is None]
        assert len(hidden) != 1 or total is None
        if total is not None and hidden:
            assert not logic.is_small(sum(parts[h] for h in hidden))


def test_protect_columns_adds_a_protected_total_row() -> None:
    table = logic.protect_columns(
        {"aftercare": {"linked": 12}, "waiting-list": {"linked": 3}, "clinic-16": {"linked": 6}}
    )
    assert table["total"]["linked"] == 21
    assert table["aftercare"]["linked"] == 12
    assert table["waiting-list"]["linked"] is None and table["clinic-16"]["linked"] is None


# --- statistics against a hand-computed example -------------------------------------------------
# Six people, burden at baseline and at follow-up; differences -6 -1 -4 +2 -5 -3, no ties, no zeros.
# The rules (pairing, suppression, which values a median is taken over) are checked here with
# the noise left out; staff/release.py adds it, and is tested below and over HTTP.
BEFORE = [10, 8, 7, 9, 6, 5]
AFTER = [4, 7, 3, 11, 1, 2]


class Exact:
    """The figures without noise, to check the rules they are computed by."""

    def count(self, n: int) -> int:
        return n

    def median(self, values: Sequence[float], low: float, high: float) -> float:
        return float(statistics.median(values))


def _no_band(before: Sequence[float], after: Sequence[float], n: int | None) -> str | None:
    return None


def test_paired_summary_matches_hand_computation() -> None:
    summary = logic.paired_summary(BEFORE, AFTER, 6, (0, 10), Exact(), _no_band)
    assert summary.n == 6
    assert summary.median_before == 7.5  # 5 6 7 | 8 9 10
    assert summary.median_after == 3.5  # 1 2 3 | 4 7 11
    assert summary.median_change == -3.5  # -6 -5 -4 | -3 -1 +2


def test_paired_summary_is_suppressed_under_five_released_pairs() -> None:
    noise, bounds = Exact(), (0.0, 10.0)
    hidden = logic.paired_summary(BEFORE, AFTER, 4, bounds, noise, release.stable_wilcoxon_band)
    assert hidden == logic.PairedSummary(n=None)
    assert logic.paired_summary(BEFORE[:5], AFTER[:5], 5, bounds, noise, _no_band).n == 5
    assert logic.paired_summary([], [], 0, bounds, noise, _no_band) == logic.PairedSummary(n=0)


def _differences(positive_ranks: set[int]) -> tuple[list[float], list[float]]:
    """60 pairs whose differences have sizes 1..60, positive at the given ranks."""
    after = [float(r if r in positive_ranks else -r) for r in range(1, 61)]
    return [0.0] * 60, after


def test_the_wilcoxon_band_only_where_no_one_person_can_move_it() -> None:
    # n = 60: W+ has mean 915 and sd 135.8; one person moves W+ by up to 61.
    before, after = _differences(set(range(1, 61)))  # everyone changed the same way
    assert release.stable_wilcoxon_band(before, after, 60) == "<0.001"
    assert release.stable_wilcoxon_band(before, after, 49) is None  # too few pairs released
    before, after = _differences(set(range(1, 61, 2)))  # W+ = 900: no change at all
    assert release.stable_wilcoxon_band(before, after, 60) == "≥0.05"
    # W+ = 595 + 54 = 649, right at p = 0.05: one person more or less could tip it.
    before, after = _differences({*range(1, 35), 54})
    assert release.stable_wilcoxon_band(before, after, 60) is None


def test_released_figures_are_noisy_at_a_small_epsilon_and_exact_at_a_huge_one() -> None:
    small, huge = release.DpNoise(1 / 32), release.DpNoise(1e6)
    values = [0.0, 0.0, 17.0, 30.0, 30.0]
    assert huge.median(values, 0, 30) == 17.0 and huge.count(5) == 5
    assert huge.median([7, 8], 0, 10) == 7.5  # candidates in half steps
    assert len({small.median(values, 0, 30) for _ in range(20)}) > 1
    assert len({small.count(5) for _ in range(20)}) > 1
    assert all(0 <= small.median(values, 0, 30) <= 30 for _ in range(20))
    assert release.count_error(1.0) == 3 and release.count_error(1 / 32) > 50


def _person(before: float, after: float | None, meetings: int | None = None) -> PersonRecord:
    checkups = {"baseline": Checkup(before, before, 10 - before)}
    if after is not None:
        checkups["3m"] = Checkup(after, after, 10 - after)
    return PersonRecord(
        programme="aftercare",
        active_recently=True,
        due=frozenset({"baseline", "3m"}),
        checkups=checkups,
        meetings_last_30=meetings,
    )


def test_programme_outcomes_from_the_hand_computed_example() -> None:
    people = [
        _person(b, a, meetings=6 if i < 5 else 0)
        for i, (b, a) in enumerate(zip(BEFORE, AFTER, strict=True))
    ]
    people.append(_person(4, None))
    out = logic.programme_outcomes("aftercare", people, ["baseline", "3m"], Exact(), _no_band)
    assert out.completion[0] == logic.Completion("baseline", 7, 7)
    # 6 of 7 did the follow-up: the one who missed is a small cell, so both cells are hidden.
    assert out.completion[1] == logic.Completion("3m", 7, None)
    burden = next(c for c in out.changes if c.measure == "burden")
    assert burden.summary.median_change == -3.5 and burden.summary.n == 6
    belief = next(c for c in out.changes if c.measure == "belief")
    assert belief.summary.median_change == 3.5
    regular = {r.group: r for r in out.regularity}
    # Five regular attenders (shown), one not (hidden) and so the total is hidden as well.
    assert regular["regular"].n is None or regular["total"].n is None
    assert regular["not_regular"].n is None and regular["not_regular"].median_days_used is None


def test_regularity_shown_when_both_groups_are_large_enough() -> None:
    people = [_person(5, d, meetings=5) for d in (0, 1, 2, 3, 4)]
    people += [_person(5, d, meetings=1) for d in (6, 7, 8, 9, 10)]
    rows = {
        r.group: r
        for r in logic.programme_outcomes(
            "x", people, ["baseline", "3m"], Exact(), _no_band
        ).regularity
    }
    assert rows["regular"] == logic.Regularity("regular", 5, 2.0)
    assert rows["not_regular"] == logic.Regularity("not_regular", 5, 8.0)
    assert rows["total"] == logic.Regularity("total", 10, 5.0)
