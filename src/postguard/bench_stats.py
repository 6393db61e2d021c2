"""Confidence intervals for the benchmarks: a percentile bootstrap over items.

Every figure ``postguard bench`` prints is computed from per-item counts (one
row per post: true positives, false positives, ...). The bootstrap draws the
items again with replacement :data:`RESAMPLES` times with a fixed seed, sums
the counts of each draw and computes the figure again; the 2.5th and 97.5th
percentiles of those figures are its 95 % interval. The same command gives the
same intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

RESAMPLES = 1000
SEED = 20_260_801

Sums = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    low: float
    high: float

    def fmt(self, digits: int = 3) -> str:
        return f"{self.value:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"


@lru_cache(maxsize=16)
def _weights(n: int, resamples: int, seed: int) -> NDArray[np.float64]:
    """How often each item is drawn in each resample: a (resamples, n) matrix."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, np.full(n, 1.0 / n), size=resamples).astype(np.float64)


def bootstrap_sums(
    counts: Sequence[Sequence[float]] | NDArray[np.float64],
    metric: Callable[[Sums], Sums],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Estimate:
    """``metric`` of the column sums of ``counts`` (items x columns), with its interval.

    ``metric`` takes an array whose last axis is the columns and returns one
    value per row (it is called on the full sums and on every resample's)."""
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2 or len(table) == 0:
        return Estimate(float("nan"), float("nan"), float("nan"))
    value = float(metric(table.sum(axis=0)[None, :])[0])
    sums = _weights(len(table), resamples, seed) @ table
    values = metric(sums)
    low, high = np.nanpercentile(values, [2.5, 97.5]) if np.isfinite(values).any() else (value,) * 2
    return Estimate(value, float(low), float(high))


def bootstrap_statistic(
    values: Sequence[float],
    statistic: Callable[[NDArray[np.float64]], float],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Estimate:
    """A statistic of a sample (a percentile of latencies, say), with its interval."""
    data = np.asarray(values, dtype=np.float64)
    if len(data) == 0:
        return Estimate(float("nan"), float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(data), size=(resamples, len(data)))
    stats = np.array([statistic(data[row]) for row in draws])
    low, high = np.percentile(stats, [2.5, 97.5])
    return Estimate(float(statistic(data)), float(low), float(high))


def ratio(num: Sums, den: Sums) -> Sums:
    """num / den, 1.0 where there is nothing to count (as :class:`postguard.bench.Rates`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)


def precision(tp: Sums, fp: Sums) -> Sums:
    return ratio(tp, tp + fp)


def recall(tp: Sums, fn: Sums) -> Sums:
    return ratio(tp, tp + fn)


def f_beta(p: Sums, r: Sums, beta: float) -> Sums:
    b2 = beta * beta
    with np.errstate(divide="ignore", invalid="ignore"):
        den = b2 * p + r
        return np.where(den > 0, (1 + b2) * p * r / np.where(den > 0, den, 1.0), 0.0)


# Column layouts the benchmarks use, and their metrics.


def item_rates(columns: tuple[int, int, int]) -> dict[str, Callable[[Sums], Sums]]:
    """Precision, recall and F1 from (tp, fp, fn) columns."""
    tp, fp, fn = columns
    return {
        "precision": lambda s: precision(s[:, tp], s[:, fp]),
        "recall": lambda s: recall(s[:, tp], s[:, fn]),
        "f1": lambda s: f_beta(precision(s[:, tp], s[:, fp]), recall(s[:, tp], s[:, fn]), 1.0),
    }


def span_rates(columns: tuple[int, int, int, int]) -> dict[str, Callable[[Sums], Sums]]:
    """Precision, recall and F2 from (gold found, gold, predicted right, predicted) columns.

    Span matching counts a gold span as found and a predicted span as right
    separately (one long prediction may cover two gold spans), so precision and
    recall have their own numerators."""
    found, gold, right, predicted = columns

    def p(s: Sums) -> Sums:
        return ratio(s[:, right], s[:, predicted])

    def r(s: Sums) -> Sums:
        return ratio(s[:, found], s[:, gold])

    return {"precision": p, "recall": r, "f2": lambda s: f_beta(p(s), r(s), 2.0)}
