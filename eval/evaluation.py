"""Evaluation of suggestions against labels: categories, the threshold flag and calibration.

Every rate comes with its counts and a 95% percentile-bootstrap interval over calls (``eval.bootstrap``);
F1 and macro-F1 get bootstrap intervals from the same resamples. The flag is evaluated twice: as
advised (``police_response_required``: score, safety rules and uncertainty together, what a handler
sees) and by score alone (``police_response_score >= threshold``).

Inputs have length ``n`` (calls): true categories and flags, suggested categories, the advised flag,
flag scores in [0, 1] and the top category probability in [0, 1].
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from rcrp.eval.bootstrap import draw_resamples, rate_with_interval
from rcrp.eval.metrics import expected_calibration_error

__all__ = ["flag_report", "category_report", "evaluate_suggestions"]


def flag_report(y_true: Sequence[bool], y_pred: Sequence[bool], draws: np.ndarray) -> dict[str, Any]:
    """Recall, precision, false-negative, false-positive and selection rates, each with counts and interval."""
    y = np.asarray(y_true, bool)
    p = np.asarray(y_pred, bool)
    everyone = np.ones(len(y), bool)
    return {"recall": rate_with_interval(p, y, draws), "precision": rate_with_interval(y, p, draws),
            "false_negative_rate": rate_with_interval(~p, y, draws),
            "false_positive_rate": rate_with_interval(p, ~y, draws),
            "selection_rate": rate_with_interval(p, everyone, draws),
            "counts": {"tp": int((y & p).sum()), "fn": int((y & ~p).sum()), "fp": int((~y & p).sum()),
                       "tn": int((~y & ~p).sum())}}


def _f1(tp: np.ndarray, actual: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    denom = actual + predicted
    return np.divide(2 * tp, denom, out=np.zeros(np.shape(tp), float), where=denom > 0)


def _interval(values: np.ndarray) -> tuple[float | None, float | None]:
    if not len(values):
        return None, None
    lo, hi = np.quantile(values, (0.025, 0.975))
    return float(lo), float(hi)


def category_report(y_true: Sequence[str], y_pred: Sequence[str], categories: Sequence[str],
                    draws: np.ndarray) -> dict[str, Any]:
    """Per category precision, recall (rates with intervals), F1 (with interval) and support; macro-F1
    with interval; accuracy; the confusion matrix (rows true, columns suggested, ``categories`` order)."""
    index = {c: i for i, c in enumerate(categories)}
    unknown = sorted({c for c in (*y_true, *y_pred) if c not in index})
    if unknown:
        raise ValueError(f"labels not in the taxonomy: {unknown}")
    y = np.array([index[c] for c in y_true], dtype=int)
    p = np.array([index[c] for c in y_pred], dtype=int)
    k = len(categories)
    confusion = np.zeros((k, k), dtype=int)
    np.add.at(confusion, (y, p), 1)
    per, f1_boot, f1_point = {}, [], []
    for c, name in enumerate(categories):
        actual, predicted = y == c, p == c
        hit = actual & predicted
        f1 = float(_f1(np.array(hit.sum()), np.array(actual.sum()), np.array(predicted.sum())))
        boot = _f1(hit[draws].sum(1), actual[draws].sum(1), predicted[draws].sum(1))
        f1_point.append(f1)
        f1_boot.append(boot)
        lo, hi = _interval(boot)
        per[name] = {"precision": rate_with_interval(actual, predicted, draws),
                     "recall": rate_with_interval(predicted, actual, draws),
                     "f1": {"value": f1, "ci_low": lo, "ci_high": hi}, "support": int(actual.sum())}
    macro_lo, macro_hi = _interval(np.mean(f1_boot, axis=0)) if len(y) else (None, None)
    return {"macro_f1": {"value": float(np.mean(f1_point)) if len(y) else None, "n": int(len(y)),
                         "ci_low": macro_lo, "ci_high": macro_hi},
            "accuracy": rate_with_interval(y == p, np.ones(len(y), bool), draws),
            "per_category": per, "confusion": {"labels": list(categories), "matrix": confusion.tolist()}}


def evaluate_suggestions(y_category: Sequence[str], y_flag: Sequence[bool], suggested_category: Sequence[str],
                         advised_flag: Sequence[bool], flag_score: Sequence[float], threshold: float,
                         top_category_score: Sequence[float], categories: Sequence[str], *,
                         uncertain: Sequence[bool] | None = None, n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """The full evaluation of one labelled set (see the module docstring for the inputs)."""
    n = len(y_category)
    if not (n == len(y_flag) == len(suggested_category) == len(advised_flag) == len(flag_score)
            == len(top_category_score)):
        raise ValueError("all inputs must have one entry per call")
    if n == 0:
        raise ValueError("nothing to evaluate: no labelled calls")
    draws = draw_resamples(n, n_boot, seed)
    y_flag = np.asarray(y_flag, bool)
    score = np.asarray(flag_score, float)
    correct = np.array([a == b for a, b in zip(y_category, suggested_category)])
    flag_ece, flag_table = expected_calibration_error(y_flag, score)
    cat_ece, cat_table = expected_calibration_error(correct, np.asarray(top_category_score, float))
    return {"n": n, "n_boot": n_boot, "threshold": float(threshold),
            "category": category_report(list(y_category), list(suggested_category), categories, draws),
            "flag_as_advised": flag_report(y_flag, advised_flag, draws),
            "flag_by_score": flag_report(y_flag, score >= threshold, draws),
            "uncertain": None if uncertain is None else rate_with_interval(np.asarray(uncertain, bool),
                                                                           np.ones(n, bool), draws),
            "calibration": {"flag": {"ece": flag_ece, "bins": flag_table},
                            "category": {"ece": cat_ece, "bins": cat_table}}}
