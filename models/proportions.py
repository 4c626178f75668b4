"""A proportion with its counts and a 95% Wilson interval: every rate the project reports comes this way."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["wilson_interval", "rate"]


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float] | None:
    """95% Wilson score interval of ``successes / trials`` (None when there are no trials)."""
    if trials <= 0:
        return None
    p = successes / trials
    denom = 1 + z * z / trials
    centre = p + z * z / (2 * trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, (centre - half) / denom), min(1.0, (centre + half) / denom)


def rate(successes: int, trials: int) -> dict[str, Any]:
    """A proportion with its counts and Wilson interval: {value, successes, trials, ci_low, ci_high}."""
    ci = wilson_interval(successes, trials)
    return {"value": successes / trials if trials else None, "successes": int(successes), "trials": int(trials),
            "ci_low": ci[0] if ci else None, "ci_high": ci[1] if ci else None}
