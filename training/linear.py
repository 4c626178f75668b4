"""Fitting the linear model: TF-IDF word and character n-grams, a multinomial logistic regression for
the category and a binary one for the flag. Produces an (uncalibrated) ``LinearScorer``; calibration
and the threshold are set afterwards from held-out scores (``training.validation``).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator

from rcrp.models.char_ngrams import CharNgramTfidf
from rcrp.models.linear_scorer import LinearScorer

__all__ = ["LinearTriageEstimator", "fit_vectorizers", "fit_heads"]


def fit_vectorizers(texts: Sequence[str], *, word_ngrams=(1, 2), char_ngrams=(3, 4), min_df: int = 2,
                    max_word_features: int = 100_000, max_char_features: int = 150_000):
    """Fit the word TF-IDF vectorizer and the character n-gram transformer; returns (word, char, features (n, d) CSR)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = dict(lowercase=True, sublinear_tf=True, dtype=np.float32)
    word = TfidfVectorizer(analyzer="word", ngram_range=tuple(word_ngrams), min_df=min_df,
                           max_features=max_word_features, token_pattern=r"(?u)\b\w[\w&/'-]*\b", **common)
    # Same features as TfidfVectorizer(analyzer="char_wb"), computed once per distinct word (much faster).
    char, x_char = CharNgramTfidf.fit(texts, tuple(char_ngrams), min_df=min_df, max_features=max_char_features)
    x = hstack([word.fit_transform(texts), x_char], format="csr")
    return word, char, x


def fit_heads(x, y_category: np.ndarray, y_flag: np.ndarray, *, c: float, n_categories: int, seed: int = 0):
    """Fit the two logistic heads on features ``x`` (n, d); labels are category indices and booleans.

    Returns (category_coef (k, d), category_intercept (k,), flag_coef (d,), flag_intercept).
    """
    from sklearn.linear_model import LogisticRegression

    cat = LogisticRegression(C=c, max_iter=300, random_state=seed)
    cat.fit(x, y_category)
    coef = np.zeros((n_categories, x.shape[1]), dtype=np.float32)
    intercept = np.full(n_categories, -30.0, dtype=np.float32)  # a class never seen in training is never chosen
    coef[cat.classes_] = cat.coef_ if len(cat.classes_) > 2 else np.vstack([-cat.coef_[0], cat.coef_[0]]) / 2
    intercept[cat.classes_] = cat.intercept_ if len(cat.classes_) > 2 else np.array([-cat.intercept_[0], cat.intercept_[0]]) / 2
    y_flag = np.asarray(y_flag, dtype=bool)
    if y_flag.all() or not y_flag.any():
        # One class only: a constant head that says so (never "no police" by default).
        return coef, intercept, np.zeros(x.shape[1], dtype=np.float32), 10.0 if y_flag.all() else -10.0
    flag = LogisticRegression(C=c, max_iter=300, class_weight="balanced", random_state=seed)
    flag.fit(x, y_flag)
    return coef, intercept, flag.coef_[0].astype(np.float32), float(flag.intercept_[0])


class LinearTriageEstimator(BaseEstimator):
    """scikit-learn style estimator for the linear model.

    ``fit(texts, y_category, y_flag)`` takes redacted narratives (n,), category names (n,) and flags (n,);
    learned state: ``scorer_`` (a ``LinearScorer``, uncalibrated) and ``categories_``.
    """

    def __init__(self, categories: Sequence[str] = (), flag_name: str = "police_response_required", c: float = 4.0,
                 word_ngrams=(1, 2), char_ngrams=(3, 4), min_df: int = 2, max_word_features: int = 100_000,
                 max_char_features: int = 150_000, seed: int = 0) -> None:
        self.categories = categories
        self.flag_name = flag_name
        self.c = c
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.seed = seed

    def fit(self, texts: Sequence[str], y_category: Sequence[str], y_flag: Sequence[bool]) -> LinearTriageEstimator:
        texts = list(texts)
        if not (len(texts) == len(y_category) == len(y_flag)) or not texts:
            raise ValueError("texts, y_category and y_flag must be non-empty and of equal length")
        categories = tuple(self.categories) or tuple(sorted(set(y_category)))
        unknown = set(y_category) - set(categories)
        if unknown:
            raise ValueError(f"labels not in categories: {sorted(unknown)}")
        index = {c: i for i, c in enumerate(categories)}
        word, char, x = fit_vectorizers(texts, word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams,
                                        min_df=min(self.min_df, max(1, len(texts) // 10)),
                                        max_word_features=self.max_word_features,
                                        max_char_features=self.max_char_features)
        cat_coef, cat_b, flag_coef, flag_b = fit_heads(x, np.array([index[c] for c in y_category]), np.asarray(y_flag),
                                                       c=self.c, n_categories=len(categories), seed=self.seed)
        self.categories_ = categories
        self.scorer_ = scorer_from_parts(word, char, categories, self.flag_name, cat_coef, cat_b, flag_coef, flag_b)
        return self

    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        return self.scorer_.predict_proba(list(texts))


def _terms(vectorizer) -> list[str]:
    vocab = vectorizer.vocabulary_
    terms = [""] * len(vocab)
    for term, i in vocab.items():
        terms[i] = term
    return terms


def _params(vectorizer) -> dict:
    params = {"analyzer": vectorizer.analyzer, "ngram_range": list(vectorizer.ngram_range),
              "lowercase": vectorizer.lowercase, "sublinear_tf": vectorizer.sublinear_tf, "norm": vectorizer.norm}
    if vectorizer.analyzer == "word":
        params["token_pattern"] = vectorizer.token_pattern
    return params


def scorer_from_parts(word, char, categories, flag_name, cat_coef, cat_b, flag_coef, flag_b, *,
                      temperature: float = 1.0, platt=(1.0, 0.0)) -> LinearScorer:
    """A ``LinearScorer`` from fitted vectorizers and head weights."""
    char_params = {"analyzer": "char_wb", "ngram_range": list(char.ngram_range), "lowercase": True,
                   "sublinear_tf": char.sublinear_tf, "norm": char.norm}
    return LinearScorer(categories=categories, flag_name=flag_name, word_terms=_terms(word), char_terms=char.terms,
                        word_idf=word.idf_, char_idf=char.idf, word_params=_params(word), char_params=char_params,
                        category_coef=cat_coef, category_intercept=cat_b, flag_coef=flag_coef, flag_intercept=flag_b,
                        temperature=temperature, platt=platt)
