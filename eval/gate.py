"""The promotion gate: which checks a challenger must pass before it may become the champion.

Checks read a model version's headline metrics (stored with it at training time) and its latest
assessment by ``rcrp fairness`` (stored as ``assessment.*`` tags). A version never assessed fails the
fairness checks: it cannot show that it passes them. Each check names itself and says why it failed.
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
                    assessment: Mapping[str, str] | None = None, max_flip_rate: float = 0.05,
                    tolerance: float = 0.005) -> GateResult:
    """Run the checks on a version's metrics (flag recall first: a missed police response is the worst
    error) and on its assessment tags (``assessment.*``, without the prefix). ``tolerance`` absorbs
    rounding of stored metrics, nothing more."""
    checks = []
    recall = _value(metrics, "flag_recall")
    checks.append(GateCheck(
        "flag_recall", recall is not None and recall >= target_recall - tolerance,
        f"flag recall on held-out validation {recall if recall is not None else 'missing'} vs target {target_recall}"))
    f1 = _value(metrics, "macro_f1")
    checks.append(GateCheck(
        "macro_f1", f1 is not None and f1 >= min_macro_f1,
        f"category macro-F1 on held-out validation {f1 if f1 is not None else 'missing'} vs minimum {min_macro_f1}"))
    checks.extend(_assessment_checks(assessment or {}, target_recall=target_recall, max_flip_rate=max_flip_rate))
    return GateResult(tuple(checks))


_NOT_ASSESSED = "not assessed: run 'rcrp fairness DATA --model models:/NAME/VERSION' on held-out labelled calls"


def _assessment_checks(tags: Mapping[str, str], *, target_recall: float, max_flip_rate: float) -> list[GateCheck]:
    if "data" not in tags:
        return [GateCheck(name, False, _NOT_ASSESSED) for name in
                ("assessed_flag_recall", "group_flag_false_negative_rate", "counterfactual_flip_rate")]
    where = f"on {tags['data']}" + (" (SYNTHETIC)" if tags.get("synthetic") == "true" else "")
    recall, high = _value(tags, "flag_recall"), _value(tags, "flag_recall_ci_high")
    flagged = [g for g in str(tags.get("flag_fnr_flagged", "")).split(";") if g and g != "none"]
    flips = _value(tags, "flip_rate")
    return [
        # Below target only when even the top of the interval is: a held-out set is a sample too.
        GateCheck("assessed_flag_recall", recall is not None and high is not None and high >= target_recall,
                  f"flag recall as advised {where}: {recall} (95% interval up to {high}) vs target {target_recall}"),
        GateCheck("group_flag_false_negative_rate", not flagged and "flag_fnr_flagged" in tags,
                  f"groups whose flag false-negative rate is outside the band {tags.get('band', '?')} beyond sampling "
                  f"noise {where}: {', '.join(flagged) if flagged else 'none'}"),
        GateCheck("counterfactual_flip_rate", flips is not None and flips <= max_flip_rate,
                  f"share of narratives whose advice changed with identity words, worst dimension "
                  f"({tags.get('flip_dimension', '?')}) {where}: {flips} vs limit {max_flip_rate}"),
    ]
