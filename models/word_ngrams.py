"""Word n-gram TF-IDF over a fixed vocabulary, as scikit-learn computes it, at about twice its speed.

scikit-learn's ``TfidfVectorizer(analyzer="word")`` counts each document's n-grams in a Python loop
with a dictionary per document. This transformer looks every n-gram of a batch up in the vocabulary in
one pass and counts them as one sparse matrix. The output equals scikit-learn's to float rounding (a
test holds it to that). Fitting (choosing the vocabulary) stays with scikit-learn.

Shapes: ``n`` documents, ``d`` n-gram features. Output is CSR float32 (n, d).
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import Any, Sequence

import numpy as np

from rcrp.models.char_ngrams import SMALL_BATCH, checked_vocabulary, tfidf_from_entries, weigh_counts

__all__ = ["WordNgramTfidf"]

# The TfidfVectorizer settings this transformer reproduces; anything else is left to scikit-learn.
SUPPORTED = {"analyzer": "word", "lowercase": True}
_IGNORED = {"ngram_range", "sublinear_tf", "norm", "token_pattern", "analyzer", "lowercase"}


class WordNgramTfidf:
    """``TfidfVectorizer(analyzer="word", lowercase=True)`` over a fixed vocabulary.

    Parameters
    ----------
    terms : the n-gram vocabulary, in feature order (length d); an n-gram is its words joined by a space.
    idf : (d,) idf weight per term.
    ngram_range : (min_n, max_n), words.
    token_pattern : the regular expression that finds words (scikit-learn's default if None).
    sublinear_tf : use ``1 + log(count)`` in place of the raw count.
    norm : ``"l2"`` or ``None``.
    """

    def __init__(self, terms: Sequence[str], idf: np.ndarray, ngram_range: tuple[int, int] = (1, 2), *,
                 token_pattern: str | None = None, sublinear_tf: bool = True, norm: str | None = "l2") -> None:
        self.terms, self.idf = checked_vocabulary(terms, idf, norm)
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        if not 1 <= self.ngram_range[0] <= self.ngram_range[1]:
            raise ValueError(f"ngram_range must be 1 <= min_n <= max_n, not {ngram_range}")
        self.token_pattern = token_pattern or r"(?u)\b\w\w+\b"
        self._pattern = re.compile(self.token_pattern)
        if self._pattern.groups > 1:
            raise ValueError("token_pattern may have at most one capturing group")
        self.sublinear_tf = sublinear_tf
        self.norm = norm
        self._index = {t: i for i, t in enumerate(self.terms)}

    @classmethod
    def supports(cls, params: dict[str, Any]) -> bool:
        """Whether TfidfVectorizer ``params`` (as saved with a model) are settings this class reproduces."""
        return (all(params.get(k, v) == v for k, v in SUPPORTED.items()) and set(params) <= _IGNORED
                and params.get("norm", "l2") in ("l2", None))

    def transform(self, texts: Sequence[str]):
        """TF-IDF features, CSR float32 of shape (n, d)."""
        from scipy.sparse import csr_matrix

        find, get = self._pattern.findall, self._index.get
        min_n, max_n = self.ngram_range
        missing = repeat(-1)
        indptr, ids = [0], []
        for text in texts:
            words = find(text.lower())
            grams = words if min_n == 1 else []
            for n in range(max(min_n, 2), max_n + 1):
                if n == 2:
                    grams = grams + [a + " " + b for a, b in zip(words, words[1:])]
                else:
                    grams = grams + [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
            ids.extend(map(get, grams, missing))  # map in C: no Python frame per n-gram
            indptr.append(len(ids))
        cols = np.array(ids, dtype=np.int32)
        known = cols >= 0
        if len(texts) <= SMALL_BATCH:
            rows = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(indptr))[known]
            return tfidf_from_entries(len(texts), len(self.terms), rows, cols[known].astype(np.int64),
                                      np.ones(len(rows), np.float32), self.idf, sublinear_tf=self.sublinear_tf,
                                      norm=self.norm)
        # Row pointers counting known n-grams only: the cumulative count of known entries at each row end.
        ends = np.concatenate(([0], np.cumsum(known, dtype=np.int64)))[np.array(indptr)]
        counts = csr_matrix((np.ones(int(ends[-1]), dtype=np.float32), cols[known], ends),
                            shape=(len(texts), len(self.terms)))
        return weigh_counts(counts, self.idf, sublinear_tf=self.sublinear_tf, norm=self.norm)
