"""Choosing the model honestly: out-of-fold scores, calibration and the recall-targeted threshold.

Everything here uses the training data only. Two kinds of folds:

* held-out groups (default: registers): each register is scored by a model trained on the others, an
  estimate of how the model does on writing it has not seen. Model choice (C), calibration and the
  threshold come from these scores, so they err towards unseen text, not towards the generator.
* random folds: the usual in-distribution estimate, reported side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from rcrp.training.linear import fit_heads, fit_vectorizers

__all__ = ["OutOfFold", "out_of_fold", "fit_temperature", "fit_platt", "group_folds", "random_folds"]


@dataclass
class OutOfFold:
    """Out-of-fold raw scores for every row: category logits (n, k) and flag scores (n,)."""

    logits: np.ndarray
    flag_raw: np.ndarray
    fold: np.ndarray  # fold id per row


def group_folds(groups: Sequence[str], max_folds: int = 6, seed: int = 0) -> list[np.ndarray]:
    """Folds that keep each group whole: one per group, or (with many groups, e.g. 44 situation families)
    the groups shuffled into ``max_folds`` folds."""
    g = np.asarray(groups)
    values = sorted(set(g.tolist()))
    if len(values) <= max_folds:
        return [np.flatnonzero(g == value) for value in values]
    order = np.random.default_rng(seed).permutation(len(values))
    bucket = {values[i]: k % max_folds for k, i in enumerate(order)}
    assigned = np.array([bucket[v] for v in g.tolist()])
    return [np.flatnonzero(assigned == k) for k in range(max_folds)]


def random_folds(n: int, k: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(part) for part in np.array_split(order, k)]


def out_of_fold(texts: Sequence[str], y_category: np.ndarray, y_flag: np.ndarray, folds: list[np.ndarray], *,
                c_grid: Sequence[float], n_categories: int, vec_params: dict, seed: int = 0) -> dict[float, OutOfFold]:
    """Out-of-fold raw scores for each C in ``c_grid`` (vectorizers are fitted once per fold)."""
    n = len(texts)
    texts = list(texts)
    out = {c: OutOfFold(np.zeros((n, n_categories), dtype=np.float32), np.zeros(n, dtype=np.float32),
                        np.full(n, -1)) for c in c_grid}
    for f, test_idx in enumerate(folds):
        train_mask = np.ones(n, dtype=bool)
        train_mask[test_idx] = False
        train_idx = np.flatnonzero(train_mask)
        word, char, x_train = fit_vectorizers([texts[i] for i in train_idx], **vec_params)
        from scipy.sparse import hstack

        test_texts = [texts[i] for i in test_idx]
        x_test = hstack([word.transform(test_texts), char.transform(test_texts)], format="csr")
        for c in c_grid:
            cat_coef, cat_b, flag_coef, flag_b = fit_heads(x_train, y_category[train_idx], y_flag[train_idx], c=c,
                                                           n_categories=n_categories, seed=seed)
            out[c].logits[test_idx] = x_test @ cat_coef.T + cat_b
            out[c].flag_raw[test_idx] = x_test @ flag_coef + flag_b
            out[c].fold[test_idx] = f
    return out


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature (> 0) minimising the negative log-likelihood of ``y`` (indices) given logits."""
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        z = logits / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    res = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(res.x))


def fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: (a, b) so that sigmoid(a * score + b) is a calibrated probability of ``y``."""
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, max_iter=1000)
    lr.fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])
