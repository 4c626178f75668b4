"""The fast, explainable scorer: TF-IDF word and character n-grams into two calibrated linear heads.

This is the runtime half (scoring, explaining, saving, loading); fitting lives in ``rcrp.training``.
It is saved without pickle: vocabularies and settings as JSON, weights as ``.npy`` arrays. Loading
rebuilds scikit-learn's ``TfidfVectorizer`` from its vocabulary and idf weights, so the transform is
exactly the one used in training and no code object is ever deserialised.

Shapes: ``n`` narratives, ``k`` categories, ``d`` features (word then character n-grams).
Calibration: category probabilities are ``softmax(z / T)`` (temperature ``T`` fitted on held-out
scores); the flag probability is ``sigmoid(a * s + b)`` (Platt scaling) of the flag head's score ``s``.
"""

from __future__ import annotations

import json
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple, Sequence

import numpy as np

from rcrp.models.calibration import calibrated
from rcrp.models.scorer_files import read_scorer_files, write_scorer_files

__all__ = ["LinearScorer", "Contribution"]

_FORMAT = "rcrp-linear-scorer/1"
# Words that carry no reason a handler could check: function words, and the placeholders redaction leaves.
_UNINFORMATIVE = frozenset("""
a an the and or but of to in on at by for from with as is are was were be been being has have had do does did
it its this that these those he she they him her his hers them their we us our you your i me my
not no so if then than there here who whom which what when where while also just very can could will would
should may might must shall about into over after before up down out off again
caller rp ip person address postcode phone email dob nhs_number vehicle_reg reference identity says said states stated
""".split())


class Contribution(NamedTuple):
    """A phrase of the narrative and how much it pushed ``target`` (log-odds, before calibration)."""

    phrase: str
    weight: float
    target: str


def _vectorizer(terms: list[str], idf: np.ndarray, params: dict[str, Any]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    kwargs = dict(params)
    kwargs["ngram_range"] = tuple(kwargs["ngram_range"])
    kwargs["dtype"] = np.float32
    vec = TfidfVectorizer(vocabulary={t: i for i, t in enumerate(terms)}, **kwargs)
    vec.idf_ = idf.astype(np.float64)
    return vec


def _word_transformer(terms: list[str], idf: np.ndarray, params: dict[str, Any]):
    """The fast word n-gram transformer where it computes the same features, else scikit-learn's."""
    from rcrp.models.word_ngrams import WordNgramTfidf

    if WordNgramTfidf.supports(params):
        return WordNgramTfidf(terms, idf, tuple(params.get("ngram_range", (1, 1))), token_pattern=params.get("token_pattern"),
                              sublinear_tf=params.get("sublinear_tf", False), norm=params.get("norm", "l2"))
    return _vectorizer(terms, idf, params)


def _char_transformer(terms: list[str], idf: np.ndarray, params: dict[str, Any]):
    """The fast per-word transformer where it computes the same features, else scikit-learn's."""
    if params.get("analyzer") == "char_wb" and params.get("lowercase", True) and params.get("norm", "l2") in ("l2", None):
        from rcrp.models.char_ngrams import CharNgramTfidf

        return CharNgramTfidf(terms, idf, tuple(params["ngram_range"]), sublinear_tf=params.get("sublinear_tf", False),
                              norm=params.get("norm", "l2"))
    return _vectorizer(terms, idf, params)


class LinearScorer:
    """Scores redacted narratives with the linear model.

    Parameters
    ----------
    categories : category names, in the order of the rows of ``category_coef``.
    flag_name : the threshold flag's name (for explanations).
    word_terms, char_terms : n-gram vocabularies, in feature order.
    word_idf, char_idf : idf weight per term, shapes (len(word_terms),), (len(char_terms),).
    word_params, char_params : TfidfVectorizer settings (analyzer, ngram_range, lowercase, sublinear_tf...).
    category_coef : (k, d) weights; category_intercept : (k,).
    flag_coef : (d,) weights; flag_intercept : float.
    temperature : category calibration temperature (> 0); platt : (a, b) for the flag.
    """

    kind = "linear"

    def __init__(self, *, categories: Sequence[str], flag_name: str, word_terms: list[str], char_terms: list[str],
                 word_idf: np.ndarray, char_idf: np.ndarray, word_params: dict[str, Any], char_params: dict[str, Any],
                 category_coef: np.ndarray, category_intercept: np.ndarray, flag_coef: np.ndarray,
                 flag_intercept: float, temperature: float = 1.0, platt: tuple[float, float] = (1.0, 0.0)) -> None:
        self.categories = tuple(categories)
        self.flag_name = flag_name
        self.word_terms = list(word_terms)
        self.char_terms = list(char_terms)
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.char_idf = np.asarray(char_idf, dtype=np.float32)
        self.word_params = dict(word_params)
        self.char_params = dict(char_params)
        self.category_coef = np.asarray(category_coef, dtype=np.float32)
        self.category_intercept = np.asarray(category_intercept, dtype=np.float32)
        self.flag_coef = np.asarray(flag_coef, dtype=np.float32)
        self.flag_intercept = float(flag_intercept)
        self.temperature = float(temperature)
        self.platt = (float(platt[0]), float(platt[1]))
        d = len(self.word_terms) + len(self.char_terms)
        if self.category_coef.shape != (len(self.categories), d) or self.flag_coef.shape != (d,):
            raise ValueError(f"weights do not match the vocabularies: {self.category_coef.shape}, {self.flag_coef.shape}, d={d}")
        self._word_vec = _word_transformer(self.word_terms, self.word_idf, self.word_params)
        self._char_vec = _char_transformer(self.char_terms, self.char_idf, self.char_params)
        # Both heads' weights per feature block, (d_block, k + 1) and C-contiguous: scipy copies a transposed
        # (non-contiguous) dense operand on every product, which cost more than scoring a single narrative.
        heads = np.column_stack([self.category_coef.T, self.flag_coef])
        split = len(self.word_terms)
        self._word_heads = np.ascontiguousarray(heads[:split])
        self._char_heads = np.ascontiguousarray(heads[split:])

    # -- scoring ------------------------------------------------------------------------------------
    def features(self, texts: Sequence[str]):
        """TF-IDF features, a CSR matrix of shape (n, d)."""
        from scipy.sparse import hstack

        return hstack([self._word_vec.transform(texts), self._char_vec.transform(texts)], format="csr")

    def raw_scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Uncalibrated scores: category logits (n, k) and the flag head's score (n,)."""
        return self._raw_scores(self._word_vec.transform(texts), self._char_vec.transform(texts))

    def _raw_scores(self, xw, xc) -> tuple[np.ndarray, np.ndarray]:
        # Block by block rather than on the stacked matrix: stacking costs as much as the products.
        z = xw @ self._word_heads + xc @ self._char_heads
        return z[:, :-1] + self.category_intercept, z[:, -1] + self.flag_intercept

    def calibrate(self, logits: np.ndarray, flag_raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities from raw scores: (n, k) rows summing to 1, and (n,) in [0, 1]."""
        return calibrated(logits, flag_raw, self.temperature, self.platt)

    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated category probabilities (n, k) and flag probability (n,)."""
        return self.calibrate(*self.raw_scores(texts))

    def score(self, texts: Sequence[str], *, explain_top: int = 0
              ) -> tuple[np.ndarray, np.ndarray, list[list[Contribution]] | None]:
        """Calibrated probabilities and, with ``explain_top``, each narrative's top phrases for its most
        likely category and for the flag (one feature transform for both)."""
        xw = self._word_vec.transform(texts).tocsr()
        p, flag = self.calibrate(*self._raw_scores(xw, self._char_vec.transform(texts)))
        if not explain_top:
            return p, flag, None
        return p, flag, self._explain_rows(xw, p.argmax(axis=1), explain_top)

    def explain(self, text: str, category: str, *, top: int = 5) -> list[Contribution]:
        """The word phrases that pushed ``category`` and the flag up most for one narrative."""
        xw = self._word_vec.transform([text]).tocsr()
        return self._explain_rows(xw, np.array([self.categories.index(category)]), top)[0]

    def _explain_rows(self, xw, best: np.ndarray, top: int) -> list[list[Contribution]]:
        """Per row of ``xw`` (n, word features): the ``top`` word phrases pushing category ``best[i]`` up,
        then the ``top`` pushing the flag up. Computed for the whole batch at once (a per-row loop cost
        as much as scoring)."""
        n = xw.shape[0]
        rows = np.repeat(np.arange(n), np.diff(xw.indptr))
        cols, vals = xw.indices, xw.data
        informative = self._informative_mask()[cols]
        out: list[list[Contribution]] = [[] for _ in range(n)]
        terms, categories = self.word_terms, self.categories
        for target, weights in ((None, self.category_coef[best[rows], cols]), (self.flag_name, self.flag_coef[cols])):
            contrib = np.where(informative, vals * weights, 0.0)
            keep = contrib > 0
            r, c, w = rows[keep], cols[keep], contrib[keep]
            order = np.lexsort((c, -w, r))  # by row, then strongest first (ties by feature, deterministic)
            r, c, w = r[order], c[order], w[order]
            rank = np.arange(len(r)) - np.searchsorted(r, r, side="left")
            chosen = rank < top
            rows_chosen, cols_chosen = r[chosen].tolist(), c[chosen].tolist()
            weights = map(round, w[chosen].tolist(), repeat(4))
            targets = [target] * len(rows_chosen) if target else [categories[k] for k in best[rows_chosen].tolist()]
            # tuple.__new__ builds the named tuples in C (Contribution(...) is a Python call each).
            for i, item in zip(rows_chosen, map(tuple.__new__, repeat(Contribution),
                                                zip(map(terms.__getitem__, cols_chosen), weights, targets))):
                out[i].append(item)
        return out

    def _informative_mask(self) -> np.ndarray:
        """Word features worth showing a handler: not made only of little words or placeholder names."""
        mask = getattr(self, "_informative", None)
        if mask is None:
            mask = np.array([not all(w in _UNINFORMATIVE for w in term.split()) for term in self.word_terms])
            self._informative = mask
        return mask

    # -- persistence --------------------------------------------------------------------------------
    _ARRAYS = ("word_idf", "char_idf", "category_coef", "category_intercept", "flag_coef")

    def save(self, path: str | Path) -> Path:
        meta = {"format": _FORMAT, "categories": list(self.categories), "flag_name": self.flag_name,
                "word_params": self.word_params, "char_params": self.char_params,
                "flag_intercept": self.flag_intercept, "temperature": self.temperature, "platt": list(self.platt)}
        path = write_scorer_files(path, meta, {name: getattr(self, name) for name in self._ARRAYS})
        (path / "word_terms.json").write_text(json.dumps(self.word_terms, ensure_ascii=False), encoding="utf-8")
        (path / "char_terms.json").write_text(json.dumps(self.char_terms, ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> LinearScorer:
        path = Path(path)
        meta, arrays = read_scorer_files(path, _FORMAT, cls._ARRAYS)
        return cls(categories=meta["categories"], flag_name=meta["flag_name"],
                   word_terms=json.loads((path / "word_terms.json").read_text(encoding="utf-8")),
                   char_terms=json.loads((path / "char_terms.json").read_text(encoding="utf-8")),
                   word_params=meta["word_params"], char_params=meta["char_params"],
                   flag_intercept=meta["flag_intercept"], temperature=meta["temperature"],
                   platt=tuple(meta["platt"]), **arrays)
