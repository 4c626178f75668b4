"""Which unlabelled calls to label next: uncertainty sampling, a diversity-aware variant, and random.

Shapes: ``proba`` is (n, k) calibrated category probabilities (rows sum to 1). Every strategy returns the
indices of the ``k`` chosen rows, most informative first, and is deterministic for a given ``seed``.
Random sampling is always available as the control the others must beat.
"""

from __future__ import annotations

from typing import Literal, Sequence

import numpy as np

__all__ = ["STRATEGIES", "select", "uncertainty"]

Strategy = Literal["least_confidence", "margin", "entropy", "diverse", "random"]
STRATEGIES: tuple[str, ...] = ("least_confidence", "margin", "entropy", "diverse", "random")


def uncertainty(proba: np.ndarray, strategy: str) -> np.ndarray:
    """Higher is more informative: ``1 - max p``, ``-(p1 - p2)`` (small margins first) or entropy, (n,)."""
    p = _checked(proba)
    if strategy == "least_confidence":
        return 1.0 - p.max(axis=1)
    if strategy == "margin":
        top = np.sort(p, axis=1)[:, ::-1]
        return -(top[:, 0] - top[:, 1]) if p.shape[1] > 1 else np.zeros(len(p))
    if strategy == "entropy":
        return -(p * np.log(np.clip(p, 1e-12, 1.0))).sum(axis=1)
    raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, not {strategy!r}")


def select(proba: np.ndarray, k: int, strategy: Strategy, *, texts: Sequence[str] | None = None, seed: int = 0,
           shortlist: int = 5) -> np.ndarray:
    """Indices of ``k`` rows to label.

    ``diverse`` takes the ``shortlist * k`` rows of highest entropy, then picks among them greedily the row
    farthest (cosine distance of hashed word n-grams of ``texts``) from those already picked, so that a batch
    is not ten copies of one confusing phrasing.
    """
    p = _checked(proba)
    if k < 1:
        raise ValueError("k must be at least 1")
    k = min(k, len(p))
    if strategy == "random":
        return np.random.default_rng(seed).permutation(len(p))[:k]
    if strategy != "diverse":
        score = uncertainty(p, strategy)
        return np.lexsort((np.arange(len(p)), -score))[:k]  # ties broken by position: deterministic
    if texts is None or len(texts) != len(p):
        raise ValueError("diverse needs the texts of the rows (one per row of proba)")
    order = np.lexsort((np.arange(len(p)), -uncertainty(p, "entropy")))[: max(k, shortlist * k)]
    from sklearn.feature_extraction.text import HashingVectorizer

    vectors = HashingVectorizer(n_features=2**18, ngram_range=(1, 2), alternate_sign=False, norm="l2").transform(
        [texts[i] for i in order])
    chosen = [0]
    nearest = 1.0 - (vectors @ vectors[0].T).toarray().ravel()  # distance to the closest chosen row
    while len(chosen) < k:
        nearest[chosen] = -1.0
        nxt = int(np.argmax(nearest))
        chosen.append(nxt)
        nearest = np.minimum(nearest, 1.0 - (vectors @ vectors[nxt].T).toarray().ravel())
    return order[chosen]


def _checked(proba: np.ndarray) -> np.ndarray:
    p = np.asarray(proba, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] == 0:
        raise ValueError(f"proba must be a non-empty (n, k) array, not shape {p.shape}")
    return p
