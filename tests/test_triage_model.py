"""The linear model's estimator contract and the fail-safe decision policy (no MLflow here)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from rcrp.eval.metrics import expected_calibration_error, flag_metrics, threshold_for_recall, wilson_interval
from rcrp.models.linear_scorer import LinearScorer
from rcrp.models.taxonomy import default_taxonomy
from rcrp.models.triage_model import DecisionPolicy, TriageModel
from rcrp.training.linear import LinearTriageEstimator
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.corpus import iter_corpus

TAX = default_taxonomy()


@pytest.fixture(scope="module")
def corpus():
    rows = [r for chunk in iter_corpus(SynthConfig(n=1200, seed=77), workers=1) for r in chunk]
    return [r["narrative"] for r in rows], [r["category"] for r in rows], [r["police_response_required"] for r in rows]


@pytest.fixture(scope="module")
def fitted(corpus):
    texts, cats, flags = corpus
    return LinearTriageEstimator(categories=TAX.category_names, c=4.0, max_word_features=20_000,
                                 max_char_features=20_000).fit(texts[:1000], cats[:1000], flags[:1000])


def test_estimator_follows_the_sklearn_contract(fitted):
    params = fitted.get_params()
    assert params["c"] == 4.0 and "scorer_" not in params
    unfitted = clone(fitted)
    assert not hasattr(unfitted, "scorer_")
    with pytest.raises(ValueError):
        unfitted.fit([], [], [])
    with pytest.raises(ValueError, match="not in categories"):
        LinearTriageEstimator(categories=("a", "b")).fit(["x y", "y z"], ["a", "c"], [True, False])


def test_it_learns_a_tiny_set_perfectly():
    texts = ["patient walked out of a and e before triage", "detained patient awol from the ward on section 3",
             "man stole a bike from outside the shop", "ambulance delayed please convey patient to hospital"] * 5
    cats = ["walkout_healthcare", "awol_mental_health", "police_matter", "conveyance"] * 5
    flags = [False, False, True, False] * 5
    est = LinearTriageEstimator(categories=TAX.category_names, c=100.0, min_df=1).fit(texts, cats, flags)
    p, f = est.predict_proba(texts)
    assert [TAX.category_names[i] for i in p.argmax(1)] == cats
    assert (f[np.array(flags)] > f[~np.array(flags)].max()).all()


def test_save_and_load_give_identical_scores(fitted, corpus, tmp_path):
    texts = corpus[0][1000:]
    before = fitted.scorer_.predict_proba(texts)
    loaded = LinearScorer.load(fitted.scorer_.save(tmp_path / "scorer"))
    after = loaded.predict_proba(texts)
    assert np.array_equal(before[0], after[0]) and np.array_equal(before[1], after[1])
    assert not list(tmp_path.rglob("*.pkl")) and not list(tmp_path.rglob("*.pickle"))


def test_batch_scores_equal_one_at_a_time(fitted, corpus):
    texts = corpus[0][1000:1020]
    p_batch, f_batch = fitted.scorer_.predict_proba(texts)
    singles = [fitted.scorer_.predict_proba([t]) for t in texts]
    assert np.allclose(p_batch, np.vstack([s[0] for s in singles]), atol=1e-6)
    assert np.allclose(f_batch, np.concatenate([s[1] for s in singles]), atol=1e-6)


def test_explanations_are_phrases_of_the_narrative(fitted):
    text = "caller says her son has taken an overdose and is unconscious"
    reasons = fitted.scorer_.explain(text, "concern_for_welfare")
    assert reasons and all(r.phrase in text for r in reasons)
    assert all(r.phrase not in {"and", "her", "caller", "says"} for r in reasons)


class FixedScorer:
    """A scorer that returns given probabilities: isolates the decision policy from any model."""

    kind = "fixed"
    categories = TAX.category_names

    def __init__(self, p_cat, p_flag):
        self.p_cat, self.p_flag = np.atleast_2d(p_cat), np.atleast_1d(p_flag)

    def score(self, texts, *, explain_top=0):
        return np.repeat(self.p_cat, len(texts), axis=0), np.repeat(self.p_flag, len(texts)), None

    def save(self, path):
        raise NotImplementedError


CONFIDENT = [0.9, 0.02, 0.02, 0.02, 0.02, 0.02]
CLOSE = [0.45, 0.40, 0.05, 0.04, 0.03, 0.03]


@pytest.mark.parametrize(("p_cat", "p_flag", "raised", "uncertain"), [
    (CONFIDENT, 0.01, False, False),   # confident, low score: the only way to get "not required"
    (CONFIDENT, 0.60, True, False),    # above threshold and band
    (CONFIDENT, 0.25, True, True),     # just below the threshold: uncertain, so raised
    (CONFIDENT, 0.35, True, True),     # just above: raised and uncertain
    (CLOSE, 0.01, True, True),         # category too close to call: uncertain, so raised
])
def test_uncertainty_never_becomes_no_police(p_cat, p_flag, raised, uncertain):
    model = TriageModel(FixedScorer(p_cat, p_flag), DecisionPolicy(threshold=0.3, flag_band=0.5),
                        taxonomy_id=TAX.label_id, flag_name=TAX.flag_name)
    [s] = model.suggest(["c1"], ["calm caller asks for advice about a parking dispute"], redacted=True)
    assert (s.police_response_required, s.uncertain) == (raised, uncertain)
    if uncertain:
        assert any(r.kind == "uncertainty" and "handler judgement required" in r.text for r in s.reasons)


def test_a_safety_rule_raises_the_flag_whatever_the_score():
    model = TriageModel(FixedScorer(CONFIDENT, 0.001), DecisionPolicy(threshold=0.3),
                        taxonomy_id=TAX.label_id, flag_name=TAX.flag_name)
    [s] = model.suggest(["c1"], ["He is on the railway line near the station."], redacted=True)
    assert s.police_response_required and not s.uncertain
    assert [r.text for r in s.reasons if r.kind == "safety_rule"]
    [calm] = model.suggest(["c2"], ["He is not on the railway line; he is at home."], redacted=True)
    assert not calm.police_response_required


def test_narratives_are_redacted_before_scoring():
    seen = []

    class Recorder(FixedScorer):
        def score(self, texts, *, explain_top=0):
            seen.extend(texts)
            return super().score(texts, explain_top=explain_top)

    model = TriageModel(Recorder(CONFIDENT, 0.9), DecisionPolicy(threshold=0.3), taxonomy_id=TAX.label_id,
                        flag_name=TAX.flag_name)
    model.suggest(["c1"], ["Mr Jaworski on 07700 900123 says he feels unsafe."])
    assert seen == ["Mr [PERSON] on [PHONE] says he feels unsafe."]


def test_threshold_for_recall_reaches_the_target():
    y = np.array([True] * 50 + [False] * 50)
    s = np.concatenate([np.linspace(0.2, 1.0, 50), np.linspace(0.0, 0.6, 50)])
    t = threshold_for_recall(y, s, 0.98)
    assert flag_metrics(y, s >= t)["recall"]["value"] >= 0.98
    assert flag_metrics(y, s >= t + 1e-9)["recall"]["value"] < 0.98  # the highest such threshold
    assert threshold_for_recall([False, False], [0.1, 0.9], 0.98) == 0.0  # no positives: raise always


def test_rates_come_with_counts_and_intervals():
    m = flag_metrics([True, True, False, False], [True, False, True, False])
    assert m["recall"]["successes"] == 1 and m["recall"]["trials"] == 2
    assert m["recall"]["ci_low"] < 0.5 < m["recall"]["ci_high"]
    assert wilson_interval(0, 0) is None
    ece, table = expected_calibration_error([True, False], [0.9, 0.1])
    assert ece == pytest.approx(0.1) and sum(r["n"] for r in table) == 2


def test_output_rows_equal_the_validated_suggestions(fitted, corpus):
    """``suggest_rows`` (what ``rcrp predict`` writes, built without a validated object per call) must equal
    ``Suggestion.to_row()`` of ``suggest`` field for field, uncertain and safety-rule calls included."""
    from rcrp.models.identity_masking import default_masker

    model = TriageModel(fitted.scorer_, DecisionPolicy(threshold=0.3, flag_band=1.0), taxonomy_id=TAX.label_id,
                        flag_name=TAX.flag_name, identity_terms=default_masker().terms)
    texts = corpus[0][1000:] + ["He is on the railway line.", "", "Her Polish son is on the bridge parapet"]
    ids = [f"c{i}" for i in range(len(texts))]
    rows = model.suggest_rows(ids, texts)
    assert rows == [s.to_row() for s in model.suggest(ids, texts)]
    assert any(r["uncertain"] for r in rows) and any(any("safety rule" in x for x in r["reasons"]) for r in rows)


def test_the_audit_path_equals_suggest_and_keeps_the_narrative_as_written(fitted, corpus):
    """``suggest_for_audit`` (the service's path: one redaction where masking changes nothing) gives the
    fields of ``suggest`` and, for the audit, each narrative as written, redacted: never the masked text."""
    from rcrp.models.identity_masking import default_masker

    model = TriageModel(fitted.scorer_, DecisionPolicy(threshold=0.3, flag_band=1.0), taxonomy_id=TAX.label_id,
                        flag_name=TAX.flag_name, identity_terms=default_masker().terms)
    texts = corpus[0][1000:1100] + ["Mr Jaworski says his Polish son is on the bridge parapet", "",
                                    "Black male, IC3, Muslim, told Sarah Jones on 07700 900123 he took an overdose"]
    ids = [f"c{i}" for i in range(len(texts))]
    fields, redacted = model.suggest_for_audit(ids, texts)
    assert fields == [s.model_dump() for s in model.suggest(ids, texts)]
    assert redacted == model.redact(texts)
    assert "Polish" in redacted[-3] and "Jaworski" not in redacted[-3] and "Muslim" in redacted[-1]
    assert "07700 900123" not in redacted[-1] and "Sarah" not in redacted[-1]


def test_a_score_that_is_not_a_number_is_an_error_never_no_police(fitted, tmp_path):
    """Every comparison with NaN is false: a broken score must stop the suggestion, not read as "no police"."""
    from rcrp.models.errors import ErrorCode, RcrpError

    broken = LinearScorer.load(fitted.scorer_.save(tmp_path / "scorer"))
    broken.temperature = float("nan")
    model = TriageModel(broken, DecisionPolicy(threshold=0.3), taxonomy_id=TAX.label_id, flag_name=TAX.flag_name)
    for call in (lambda: model.suggest(["c1"], ["calm caller"], redacted=True),
                 lambda: model.suggest_for_audit(["c1"], ["calm caller"])):
        with pytest.raises(RcrpError) as err:
            call()
        assert err.value.code == ErrorCode.MODEL_UNAVAILABLE


def test_a_worker_process_gives_the_rows_of_this_process(fitted, corpus, tmp_path):
    from rcrp.models.suggestion_pool import SuggestionPool

    model = TriageModel.load(TriageModel(fitted.scorer_, DecisionPolicy(threshold=0.3), taxonomy_id=TAX.label_id,
                                         flag_name=TAX.flag_name).save(tmp_path / "m"))
    texts = corpus[0][1000:1100]
    batches = [([str(i) for i in range(k, k + 50)], texts[k:k + 50]) for k in (0, 50)]
    with SuggestionPool(model, workers=1, in_process=False) as pool:
        assert pool._pool is not None
        rows = [r for batch in pool.rows(batches) for r in batch]
    assert rows == model.suggest_rows([str(i) for i in range(100)], texts)
    with pytest.raises(ValueError, match="loaded from a directory"):
        SuggestionPool(TriageModel(fitted.scorer_, DecisionPolicy(threshold=0.3), taxonomy_id=TAX.label_id,
                                   flag_name=TAX.flag_name), workers=1, in_process=False)
