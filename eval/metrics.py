"""Classification metrics with counts and confidence intervals, as tidy dictionaries.

Every rate comes with the counts it was computed from and a 95% interval: Wilson's interval for a
single proportion (recall, precision, false-negative rate...), a percentile bootstrap over calls for
composite scores (macro-F1). Inputs are plain sequences or 1-D arrays of equal length ``n``.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from rcrp.models.proportions import rate, wilson_interval

__all__ = [
    "wilson_interval",
    "rate",
    "threshold_for_recall",
    "flag_metrics",
    "category_metrics",
    "expected_calibration_error",
    "recall_at_precision",
]


def threshold_for_recall(y_true: Sequence[bool], scores: Sequence[float], target: float) -> float:
    """The highest score threshold whose recall (score >= threshold among true cases) reaches ``target``.

    With no true case the threshold is 0 (raise always), the fail-safe choice.
    """
    y = np.asarray(y_true, dtype=bool)
    s = np.asarray(scores, dtype=float)
    positives = np.sort(s[y])[::-1]
    if not len(positives):
        return 0.0
    needed = math.ceil(target * len(positives) - 1e-9)
    needed = min(max(needed, 1), len(positives))
    return float(positives[needed - 1])


def flag_metrics(y_true: Sequence[bool], y_pred: Sequence[bool]) -> dict[str, Any]:
    """Recall, precision, false-negative and false-positive rates of a binary flag, with counts and CIs."""
    y = np.asarray(y_true, dtype=bool)
    p = np.asarray(y_pred, dtype=bool)
    tp, fn = int((y & p).sum()), int((y & ~p).sum())
    fp, tn = int((~y & p).sum()), int((~y & ~p).sum())
    return {"recall": rate(tp, tp + fn), "precision": rate(tp, tp + fp), "false_negative_rate": rate(fn, tp + fn),
            "false_positive_rate": rate(fp, fp + tn), "selection_rate": rate(tp + fp, len(y)),
            "counts": {"tp": tp, "fn": fn, "fp": fp, "tn": tn}}


def recall_at_precision(y_true: Sequence[bool], scores: Sequence[float], min_precision: float) -> float | None:
    """The best recall over thresholds whose precision is at least ``min_precision`` (None if none is)."""
    y = np.asarray(y_true, dtype=bool)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(-s, kind="stable")
    ys = y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    precision = tp / k
    ok = precision >= min_precision
    if not ok.any() or not y.sum():
        return None
    return float(tp[ok].max() / y.sum())


def _f1_per_class(y: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    f1 = np.zeros(k)
    for c in range(k):
        tp = np.sum((y == c) & (p == c))
        denom = np.sum(y == c) + np.sum(p == c)
        f1[c] = 2 * tp / denom if denom else 0.0
    return f1


def category_metrics(y_true: Sequence[str], y_pred: Sequence[str], categories: Sequence[str], *,
                     n_boot: int = 500, seed: int = 0) -> dict[str, Any]:
    """Per-category precision, recall, F1 (with counts and Wilson CIs), macro-F1 with a bootstrap CI,
    accuracy and the confusion matrix (rows: true, columns: predicted, in ``categories`` order)."""
    index = {c: i for i, c in enumerate(categories)}
    y = np.array([index[c] for c in y_true])
    p = np.array([index[c] for c in y_pred])
    k = len(categories)
    confusion = np.zeros((k, k), dtype=int)
    np.add.at(confusion, (y, p), 1)
    per_class = {}
    f1 = _f1_per_class(y, p, k)
    for c, name in enumerate(categories):
        tp = int(confusion[c, c])
        per_class[name] = {"precision": rate(tp, int(confusion[:, c].sum())), "recall": rate(tp, int(confusion[c].sum())),
                           "f1": float(f1[c]), "support": int(confusion[c].sum())}
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(n_boot if len(y) else 0):
        idx = rng.integers(0, len(y), len(y))
        boots.append(_f1_per_class(y[idx], p[idx], k).mean())
    macro = float(f1.mean()) if len(y) else None
    return {"macro_f1": {"value": macro, "n": int(len(y)),
                         "ci_low": float(np.percentile(boots, 2.5)) if boots else None,
                         "ci_high": float(np.percentile(boots, 97.5)) if boots else None},
            "accuracy": rate(int((y == p).sum()), int(len(y))), "per_category": per_class,
            "confusion": {"labels": list(categories), "matrix": confusion.tolist()}}


def expected_calibration_error(y_true: Sequence[bool], scores: Sequence[float], bins: int = 10
                               ) -> tuple[float | None, list[dict[str, Any]]]:
    """ECE of a probability (equal-width bins) and the reliability table (one row per non-empty bin)."""
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(scores, dtype=float)
    if not len(y):
        return None, []
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(s, edges[1:-1]), 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        n = int(mask.sum())
        if not n:
            continue
        conf, acc = float(s[mask].mean()), float(y[mask].mean())
        ece += n / len(y) * abs(conf - acc)
        table.append({"bin_low": float(edges[b]), "bin_high": float(edges[b + 1]), "n": n,
                      "mean_score": conf, "observed_rate": acc})
    return float(ece), table
