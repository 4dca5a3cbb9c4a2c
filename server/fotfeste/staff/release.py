"""Differential privacy for the staff outcomes: noisy counts and medians, and their period.

Small-cell suppression alone cannot protect one person from someone who controls the other
members of a cell (make four accounts, answer 0, 0, 30, 30, read the fifth person's answer as
the median) or who compares two exports before and after one person joins. So every figure
about people is released with noise from OpenDP's vetted mechanisms, with a stated ε:

- counts: the discrete Laplace (geometric) mechanism, sensitivity 1 (one person more or less);
- medians: the exponential mechanism over a bounded grid of candidates in half steps
  (OpenDP's quantile score and report-noisy-max), so a median of 7 and 8 can come out as 7.5.

The ε of a clinic's monthly release is split evenly over the figures about the people of one
programme (see `figures_per_programme`); programmes hold different people, so their figures
add up to one ε per person and month (parallel composition). Suppression is decided on the
noisy counts, never on the true ones, so it gives nothing away either.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache

import opendp.prelude as dp
from scipy.stats import norm, rankdata

from fotfeste.wallclock import today_in

# OpenDP keeps mechanisms that have not yet been through its full vetting behind this flag;
# the two used here (discrete Laplace, report-noisy-max over quantile scores) are among them.
dp.enable_features("contrib")

# Figures about one programme's people in one release, besides the per-time-point ones:
# the funnel (accepted, linked, active) and days with use by attendance (the two group counts
# are one histogram, the two group medians one query over disjoint groups, and everyone's
# median one more).
_FUNNEL_FIGURES = 3
_REGULARITY_FIGURES = 3
# Per time point: due and completed. Per follow-up after the baseline: the number of pairs
# (the same people for all three measures) and, per measure, three medians.
_PER_TIMEPOINT = 2
_PER_FOLLOWUP = 1 + 3 * 3


def figures_per_programme(timepoints: int) -> int:
    """How many figures about one programme's people a release holds (its ε is split by this)."""
    followups = max(timepoints - 1, 0)
    return (
        _FUNNEL_FIGURES
        + _PER_TIMEPOINT * timepoints
        + _PER_FOLLOWUP * followups
        + _REGULARITY_FIGURES
    )


def _checked(mechanism: dp.Measurement, epsilon: float) -> dp.Measurement:
    """The mechanism, once OpenDP's own privacy map says one person costs at most ε."""
    loss = float(mechanism.map(1))  # type: ignore[no-untyped-call]
    if loss > epsilon * (1 + 1e-9):
        raise RuntimeError(f"a released figure would cost ε = {loss}, more than {epsilon}")
    return mechanism


@cache
def _count_mechanism(epsilon: float) -> dp.Measurement:
    mechanism = dp.m.make_laplace(
        dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=1.0 / epsilon
    )
    return _checked(mechanism, epsilon)


def _candidates(low: float, high: float) -> list[float]:
    return [low + step / 2 for step in range(round((high - low) * 2) + 1)]


@cache
def _median_mechanism(epsilon: float, low: float, high: float) -> dp.Measurement:
    scores = dp.t.make_quantile_score_candidates(
        dp.vector_domain(dp.atom_domain(T=float, nan=False)),
        dp.symmetric_distance(),
        _candidates(low, high),
        0.5,
    )
    # The privacy loss is proportional to 1/scale: measure it at scale 1, then scale to ε.
    unit: dp.Measurement = scores >> dp.m.then_noisy_max(dp.max_divergence(), 1.0, negate=True)
    scale = float(unit.map(1)) / epsilon  # type: ignore[no-untyped-call]
    mechanism: dp.Measurement = scores >> dp.m.then_noisy_max(
        dp.max_divergence(), scale, negate=True
    )
    return _checked(mechanism, epsilon)


class DpNoise:
    """Releases each figure with `epsilon` (the share of one figure in the period's budget)."""

    def __init__(self, epsilon: float) -> None:
        self.epsilon = epsilon

    def count(self, n: int) -> int:
        # Below zero says nothing more than zero does (post-processing costs no privacy).
        return max(0, int(_count_mechanism(self.epsilon)(n)))

    def median(self, values: Sequence[float], low: float, high: float) -> float:
        # Values outside the stated range are clamped, so one person can move the median's
        # score by at most one, whatever they answered.
        clamped = [min(max(float(v), low), high) for v in values]
        index = _median_mechanism(self.epsilon, float(low), float(high))(clamped)
        return _candidates(low, high)[int(index)]


def count_error(epsilon: float) -> int:
    """How far a released count is from the true one at most, 19 times out of 20."""
    # Discrete Laplace with scale b = 1/ε: P(|noise| ≥ k) = 2e^(-k/b) / (1 + e^(-1/b)).
    # The answer is the smallest e with P(|noise| ≥ e + 1) ≤ 0.05.
    scale = 1.0 / epsilon
    e = 0
    while 2 * math.exp(-(e + 1) / scale) / (1 + math.exp(-1 / scale)) > 0.05:
        e += 1
    return e


# --- the Wilcoxon signed-rank test -------------------------------------------------------------
# The test is a deterministic function of everyone's exact pairs, so it is shown only where no
# one person can change what is shown: a band of the p-value (not the exact p, not W), only
# when at least WILCOXON_MIN_N pairs are released, and only when adding or removing any one
# person (whatever their answers) would leave the band as it is.
WILCOXON_MIN_N = 50
_BANDS = ((0.001, "<0.001"), (0.01, "<0.01"), (0.05, "<0.05"))
NOT_SIGNIFICANT = "≥0.05"


def p_band(p: float) -> str:
    for limit, name in _BANDS:
        if p < limit:
            return name
    return NOT_SIGNIFICANT


def _p(w_plus: float, n: int) -> float:
    """Two-sided p of W+ under the normal approximation (no tie correction), for n ≥ 50."""
    mean = n * (n + 1) / 4
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    return float(2 * norm.sf(abs(w_plus - mean) / sd))


def stable_wilcoxon_band(
    before: Sequence[float], after: Sequence[float], released_n: int | None
) -> str | None:
    """The paired test's p band, or None where it is not shown (see above)."""
    if released_n is None or released_n < WILCOXON_MIN_N:
        return None
    differences = [a - b for b, a in zip(before, after, strict=True) if a != b]
    n = len(differences)  # zero differences are dropped, as in the Wilcoxon test
    if n < WILCOXON_MIN_N:
        return None
    ranks = rankdata([abs(d) for d in differences])
    w_plus = float(sum(r for r, d in zip(ranks, differences, strict=True) if d > 0))
    # One person removed: n - 1 pairs, W+ lower by at most n. One added: n + 1 pairs, W+ higher
    # by at most n + 1. The band must be the same at every point of both ranges.
    bands = {p_band(_p(w_plus, n))}
    for low, high, size in ((w_plus - n, w_plus, n - 1), (w_plus, w_plus + n + 1, n + 1)):
        mean = size * (size + 1) / 4
        nearest = min(max(mean, low), high)  # the least extreme W+ in the range
        farthest = low if abs(low - mean) > abs(high - mean) else high
        bands |= {p_band(_p(nearest, size)), p_band(_p(farthest, size))}
    return bands.pop() if len(bands) == 1 else None


# --- periods ------------------------------------------------------------------------------------
def local_date(now: datetime, zone: str) -> date:
    return today_in(now, zone)


def period_of(now: datetime, zone: str) -> str:
    """The release period: the calendar month in the clinic's zone, as YYYY-MM."""
    local = local_date(now, zone)
    return f"{local.year:04d}-{local.month:02d}"


def next_period_starts(period: str) -> date:
    year, month = (int(part) for part in period.split("-"))
    return date(year + month // 12, month % 12 + 1, 1)
