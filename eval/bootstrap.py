"""Percentile bootstrap intervals for rates, vectorised over resamples.

A rate here is ``count(numerator) / count(denominator)`` over calls (recall is "flag raised" among
"needed police"). One resample draws ``n`` calls with replacement; drawing the index matrix once and
summing boolean masks over it gives every rate's bootstrap distribution in one pass, which is what
makes intervals for every group, metric and category affordable. When every call in the denominator
has the same outcome (0 of n, n of n) the bootstrap has nothing to vary, so Wilson's interval is used.

Shapes: masks are boolean arrays of length ``n`` (calls); ``draws`` is (n_boot, n) call indices.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rcrp.eval.metrics import wilson_interval

__all__ = ["draw_resamples", "bootstrap_rate", "rate_with_interval"]


def draw_resamples(n: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n) indices of calls, each row one resample with replacement."""
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    return np.random.default_rng(seed).integers(0, max(n, 1), size=(n_boot, n), dtype=np.int32)


def bootstrap_rate(numerator: np.ndarray, denominator: np.ndarray, draws: np.ndarray,
                   quantiles: tuple[float, float] = (0.025, 0.975)) -> tuple[float | None, float | None]:
    """Percentile interval of ``sum(numerator & denominator) / sum(denominator)`` over resamples.

    Resamples with an empty denominator are left out; with none left the interval is (None, None).
    """
    num = (np.asarray(numerator, bool) & np.asarray(denominator, bool))
    den = np.asarray(denominator, bool)
    if not den.any():
        return None, None
    top = num[draws].sum(axis=1)
    bottom = den[draws].sum(axis=1)
    ok = bottom > 0
    if not ok.any():
        return None, None
    values = top[ok] / bottom[ok]
    lo, hi = np.quantile(values, quantiles)
    return float(lo), float(hi)


def rate_with_interval(numerator: np.ndarray, denominator: np.ndarray, draws: np.ndarray) -> dict[str, Any]:
    """{value, successes, trials, ci_low, ci_high}: the rate, its counts and its bootstrap interval."""
    num = np.asarray(numerator, bool) & np.asarray(denominator, bool)
    trials = int(np.asarray(denominator, bool).sum())
    successes = int(num.sum())
    if successes in (0, trials) and trials:
        # Every resample gives the same rate, so the percentile interval collapses to a point; Wilson's
        # interval says what 0 of n (or n of n) can still mean.
        lo, hi = wilson_interval(successes, trials)
    else:
        lo, hi = bootstrap_rate(num, denominator, draws)
    return {"value": successes / trials if trials else None, "successes": successes, "trials": trials,
            "ci_low": lo, "ci_high": hi}
