"""The promotion gate: which checks a challenger must pass before it may become the champion.

Checks read a model version's headline metrics (stored with it at training time). The evaluation
issue adds fairness checks; each check names itself and says why it failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["GateCheck", "GateResult", "check_promotion"]


@dataclass(frozen=True)
class GateCheck:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class GateResult:
    checks: tuple[GateCheck, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[GateCheck]:
        return [c for c in self.checks if not c.passed]


def _value(metrics: Mapping[str, object], key: str) -> float | None:
    value = metrics.get(key)
    try:
        return None if value is None else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def check_promotion(metrics: Mapping[str, object], *, target_recall: float, min_macro_f1: float,
                    tolerance: float = 0.005) -> GateResult:
    """Run the metric checks on a version's metrics (flag recall first: a missed police response is the
    worst error). ``tolerance`` absorbs rounding of stored metrics, nothing more."""
    checks = []
    recall = _value(metrics, "flag_recall")
    checks.append(GateCheck(
        "flag_recall", recall is not None and recall >= target_recall - tolerance,
        f"flag recall on held-out validation {recall if recall is not None else 'missing'} vs target {target_recall}"))
    f1 = _value(metrics, "macro_f1")
    checks.append(GateCheck(
        "macro_f1", f1 is not None and f1 >= min_macro_f1,
        f"category macro-F1 on held-out validation {f1 if f1 is not None else 'missing'} vs minimum {min_macro_f1}"))
    return GateResult(tuple(checks))
