"""Model families as training sees them: out-of-fold validation, calibration and the final fit.

Each family turns (redacted texts, labels, folds) into calibrated out-of-fold probabilities and, once
chosen, a fitted scorer. The ensemble averages the two families' calibrated probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from rcrp.eval.metrics import category_metrics
from rcrp.models.calibration import calibrated, sigmoid, softmax
from rcrp.training.linear import LinearTriageEstimator, fit_heads
from rcrp.training.validation import fit_platt, fit_temperature, out_of_fold

__all__ = ["FamilyFit", "validate_linear", "validate_minilm", "combine", "selection_score", "embed_all"]


@dataclass
class FamilyFit:
    """A family's validation result: chosen C, calibration and calibrated out-of-fold probabilities."""

    kind: str
    c: float
    temperature: float
    platt: tuple[float, float]
    p_cat: np.ndarray
    p_flag: np.ndarray
    score: float
    scores_by_c: dict[float, float] = field(default_factory=dict)

    def calibrate(self, logits: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return calibrated(logits, raw, self.temperature, self.platt)


def selection_score(p_cat: np.ndarray, p_flag: np.ndarray, y: np.ndarray, flags: np.ndarray,
                    categories: Sequence[str]) -> float:
    """Category macro-F1 plus the flag's average precision: both matter, neither alone picks the model."""
    from sklearn.metrics import average_precision_score

    f1 = category_metrics([categories[i] for i in y], [categories[i] for i in p_cat.argmax(1)], categories,
                          n_boot=0)["macro_f1"]["value"]
    return float(f1 + average_precision_score(flags, p_flag))


def _choose(kind: str, oof: dict, y: np.ndarray, flags: np.ndarray, categories: Sequence[str]) -> FamilyFit:
    scores = {c: selection_score(softmax(o.logits), sigmoid(o.flag_raw), y, flags, categories) for c, o in oof.items()}
    best = max(scores, key=scores.get)
    o = oof[best]
    temperature, platt = fit_temperature(o.logits, y), fit_platt(o.flag_raw, flags)
    fit = FamilyFit(kind, best, temperature, platt, np.zeros(0), np.zeros(0), scores[best], scores)
    fit.p_cat, fit.p_flag = fit.calibrate(o.logits, o.flag_raw)
    fit.score = selection_score(fit.p_cat, fit.p_flag, y, flags, categories)
    return fit


def validate_linear(texts: Sequence[str], y: np.ndarray, flags: np.ndarray, folds: list[np.ndarray], *,
                    c_grid: Sequence[float], categories: Sequence[str], vec_params: dict, seed: int) -> FamilyFit:
    oof = out_of_fold(texts, y, flags, folds, c_grid=c_grid, n_categories=len(categories), vec_params=vec_params,
                      seed=seed)
    return _choose("linear", oof, y, flags, categories)


def _dense_oof(emb: np.ndarray, y: np.ndarray, flags: np.ndarray, folds: list[np.ndarray], *, c_grid, k: int,
               seed: int) -> dict:
    from rcrp.training.validation import OutOfFold

    n = len(emb)
    out = {c: OutOfFold(np.zeros((n, k), dtype=np.float32), np.zeros(n, dtype=np.float32), np.full(n, -1))
           for c in c_grid}
    for f, test in enumerate(folds):
        train = np.setdiff1d(np.arange(n), test)
        for c in c_grid:
            cat_coef, cat_b, flag_coef, flag_b = fit_heads(emb[train], y[train], flags[train], c=c, n_categories=k,
                                                           seed=seed)
            out[c].logits[test] = emb[test] @ cat_coef.T + cat_b
            out[c].flag_raw[test] = emb[test] @ flag_coef + flag_b
            out[c].fold[test] = f
    return out


def validate_minilm(emb: np.ndarray, y: np.ndarray, flags: np.ndarray, folds: list[np.ndarray], *,
                    c_grid: Sequence[float], categories: Sequence[str], seed: int) -> FamilyFit:
    return _choose("minilm", _dense_oof(emb, y, flags, folds, c_grid=c_grid, k=len(categories), seed=seed),
                   y, flags, categories)


def combine(linear: FamilyFit, minilm: FamilyFit, y: np.ndarray, flags: np.ndarray, categories: Sequence[str],
            weight: float = 0.5) -> FamilyFit:
    """The ensemble's out-of-fold probabilities (weighted mean of the two calibrated families)."""
    p_cat = weight * linear.p_cat + (1 - weight) * minilm.p_cat
    p_flag = weight * linear.p_flag + (1 - weight) * minilm.p_flag
    return FamilyFit("ensemble", float("nan"), 1.0, (1.0, 0.0), p_cat, p_flag,
                     selection_score(p_cat, p_flag, y, flags, categories))


def embed_all(texts: Sequence[str], progress: Callable[[str], None]) -> np.ndarray:
    from rcrp.models.minilm_scorer import MiniLMEncoder

    progress(f"embedding {len(texts)} narratives with MiniLM (about 90 a second on 2 cores)")
    return MiniLMEncoder().embed(list(texts))


def fit_scorer(kind: str, fits: dict[str, FamilyFit], texts: Sequence[str], y_names: Sequence[str],
               flags: np.ndarray, emb: np.ndarray | None, *, categories: Sequence[str], flag_name: str,
               vec_params: dict, seed: int, weight: float = 0.5) -> Any:
    """The final scorer of ``kind`` on all rows, with the validated C and calibration."""
    scorers = {}
    if kind in ("linear", "ensemble"):
        lin = fits["linear"]
        est = LinearTriageEstimator(categories=categories, flag_name=flag_name, c=lin.c, seed=seed, **vec_params)
        scorer = est.fit(texts, y_names, flags).scorer_
        scorer.temperature, scorer.platt = lin.temperature, lin.platt
        scorers["linear"] = scorer
    if kind in ("minilm", "ensemble"):
        from rcrp.models.minilm_scorer import MiniLMScorer

        mini = fits["minilm"]
        index = {c: i for i, c in enumerate(categories)}
        cat_coef, cat_b, flag_coef, flag_b = fit_heads(emb, np.array([index[c] for c in y_names]), flags, c=mini.c,
                                                       n_categories=len(categories), seed=seed)
        scorers["minilm"] = MiniLMScorer(categories=categories, flag_name=flag_name, category_coef=cat_coef,
                                         category_intercept=cat_b, flag_coef=flag_coef, flag_intercept=flag_b,
                                         temperature=mini.temperature, platt=mini.platt)
    if kind == "ensemble":
        from rcrp.models.minilm_scorer import EnsembleScorer

        return EnsembleScorer(scorers["linear"], scorers["minilm"], weight)
    return scorers[kind]
