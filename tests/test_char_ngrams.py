"""The per-word character n-gram transformer must give scikit-learn's ``char_wb`` TF-IDF exactly."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from rcrp.models.char_ngrams import CharNgramTfidf

TRAIN = [
    "Caller reports her son has walked out of the ward at St Mary's, no coat, very low.",
    "RP AWOL from Ward 7 (s3), last seen 14:20 heading to the bus station.",
    "AMBO requests conveyance for patient detained s136 to the place of safety",
    "Neighbour worried: elderly man not seen for 3 days, post piling up, curtains shut.",
    "a a a a an i I  ok OK ok!  tabs\tand\nnewlines   here",
    "Café naïve façade — Ünïcödé words, émigré, and 'quoted' words; hyphen-ated / slashed",
    "Ward staff ask police to return patient; no risk identified; informal patient",
] * 3 + ["unique words appear once: zyxwv qwerty"]
TEST = ["", "   ", "x", "ab", "ward WARD Ward ward", "never seen tokens: blorptastic", TRAIN[0], "Café ünïcödé"]


@pytest.mark.parametrize("ngram_range,min_df,max_features", [((3, 5), 1, None), ((3, 5), 2, 150), ((2, 4), 1, 40),
                                                             ((1, 1), 1, None)])
def test_fit_and_transform_equal_sklearn(ngram_range, min_df, max_features):
    sk = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, min_df=min_df, max_features=max_features,
                         lowercase=True, sublinear_tf=True, dtype=np.float32)
    expected = sk.fit_transform(TRAIN)
    ours, got = CharNgramTfidf.fit(TRAIN, ngram_range, min_df=min_df, max_features=max_features)
    assert ours.terms == sorted(sk.vocabulary_, key=sk.vocabulary_.get)
    np.testing.assert_allclose(ours.idf, sk.idf_, rtol=1e-6)
    assert got.shape == expected.shape and abs(got - expected).max() < 1e-6
    for texts in (TEST, TEST[::-1], TEST[2:3]):
        a, b = sk.transform(texts), ours.transform(texts)
        assert b.dtype == np.float32 and b.shape == a.shape and abs(a - b).max() < 1e-6


def test_a_rebuilt_transformer_matches_and_rejects_bad_shapes():
    ours, _ = CharNgramTfidf.fit(TRAIN, (3, 5))
    again = CharNgramTfidf(ours.terms, ours.idf, (3, 5))
    assert abs(again.transform(TRAIN) - ours.transform(TRAIN)).max() == 0
    with pytest.raises(ValueError, match="idf"):
        CharNgramTfidf(ours.terms, ours.idf[:-1], (3, 5))
    with pytest.raises(ValueError, match="norm"):
        CharNgramTfidf(ours.terms, ours.idf, (3, 5), norm="l1")


def test_no_shared_ngram_is_an_error_not_an_empty_model():
    with pytest.raises(ValueError, match="min_df"):
        CharNgramTfidf.fit(["abcdef", "uvwxyz"], (3, 5), min_df=2)


@pytest.mark.parametrize("kind", ["char", "word"])
def test_the_small_batch_path_gives_the_large_batch_arrays_bit_for_bit(kind, monkeypatch):
    """A service scores a few calls at a time by summing entries with numpy; batch prediction uses sparse
    products. The two must give the same arrays exactly, so a call's advice never depends on its company."""
    import rcrp.models.char_ngrams as char_ngrams
    import rcrp.models.word_ngrams as word_ngrams
    from rcrp.models.word_ngrams import WordNgramTfidf

    if kind == "char":
        vec, _ = CharNgramTfidf.fit(TRAIN, (3, 5))
    else:
        sk = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True, sublinear_tf=True).fit(TRAIN)
        vec = WordNgramTfidf(sorted(sk.vocabulary_, key=sk.vocabulary_.get), sk.idf_, (1, 2))
    texts = TEST + TRAIN + [t.upper() for t in TRAIN]
    for size in (1, 3, len(texts)):
        for start in range(0, len(texts), size):
            batch = texts[start:start + size]
            small = vec.transform(batch)
            with monkeypatch.context() as m:
                m.setattr(char_ngrams, "SMALL_BATCH", -1)
                m.setattr(word_ngrams, "SMALL_BATCH", -1)
                large = vec.transform(batch).tocsr()
            large.sort_indices()
            assert small.shape == large.shape and small.dtype == large.dtype == np.float32
            for name in ("indptr", "indices", "data"):
                assert np.array_equal(getattr(small, name), getattr(large, name)), (size, start, name)
