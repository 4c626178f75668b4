"""The word n-gram transformer must give scikit-learn's word TF-IDF exactly, over the same vocabulary."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from rcrp.models.word_ngrams import WordNgramTfidf

TRAIN = [
    "Caller reports her son has walked out of the ward at St Mary's, no coat, very low.",
    "RP AWOL from Ward 7 (s3), last seen 14:20 heading to the bus station.",
    "AMBO requests conveyance for patient detained s136 to the place of safety",
    "Neighbour worried: elderly man not seen for 3 days, post piling up, curtains shut.",
    "a a a a an i I  ok OK ok!  tabs\tand\nnewlines   here ok ok ok",
    "Café naïve façade — Ünïcödé words, émigré, and 'quoted' words; hyphen-ated / slashed & co",
    "Ward staff ask police to return patient; no risk identified; informal patient",
] * 3 + ["unique words appear once: zyxwv qwerty"]
TEST = ["", "   ", "x", "ab", "ward WARD Ward ward ward", "never seen tokens: blorptastic", TRAIN[0], "Café ünïcödé",
        "the patient the patient the patient"]
PROJECT_PATTERN = r"(?u)\b\w[\w&/'-]*\b"


@pytest.mark.parametrize("ngram_range,pattern,sublinear,norm", [
    ((1, 2), PROJECT_PATTERN, True, "l2"), ((1, 1), None, False, "l2"), ((2, 3), PROJECT_PATTERN, True, None),
    ((1, 3), r"(?u)\b(\w+)\b", False, "l2")])
def test_transform_equals_sklearn(ngram_range, pattern, sublinear, norm):
    kwargs = {"token_pattern": pattern} if pattern else {}
    sk = TfidfVectorizer(analyzer="word", ngram_range=ngram_range, lowercase=True, sublinear_tf=sublinear, norm=norm,
                         dtype=np.float32, **kwargs).fit(TRAIN)
    terms = sorted(sk.vocabulary_, key=sk.vocabulary_.get)
    ours = WordNgramTfidf(terms, sk.idf_, ngram_range, token_pattern=pattern, sublinear_tf=sublinear, norm=norm)
    for texts in (TRAIN, TEST, TEST[::-1], TEST[:1]):
        a, b = sk.transform(texts), ours.transform(texts)
        assert b.dtype == np.float32 and b.shape == a.shape and abs(a - b).max() < 1e-6


def test_supported_settings_and_bad_arguments():
    assert WordNgramTfidf.supports({"analyzer": "word", "ngram_range": [1, 2], "lowercase": True, "sublinear_tf": True,
                                    "norm": "l2", "token_pattern": PROJECT_PATTERN})
    assert not WordNgramTfidf.supports({"analyzer": "word", "lowercase": False})
    assert not WordNgramTfidf.supports({"analyzer": "word", "stop_words": "english"})
    assert not WordNgramTfidf.supports({"analyzer": "char_wb"})
    with pytest.raises(ValueError, match="idf"):
        WordNgramTfidf(["a", "b"], np.ones(3))
    with pytest.raises(ValueError, match="norm"):
        WordNgramTfidf(["a"], np.ones(1), norm="l1")
    with pytest.raises(ValueError, match="ngram_range"):
        WordNgramTfidf(["a"], np.ones(1), (2, 1))
