"""Evaluation, group fairness, counterfactual tests and the promotion gate (no MLflow here).

Rates are checked against fairlearn's own metric functions and hand counts; the screening is shown to
catch an injected disparity and to stay quiet, at about the promised rate, when there is none.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from rcrp.eval.bootstrap import draw_resamples, rate_with_interval
from rcrp.eval.counterfactual import counterfactual_tests, load_lexicon, variants
from rcrp.eval.evaluation import evaluate_suggestions
from rcrp.eval.fairness import FairnessConfig, fairness_summary, group_rates, rate_specs, screen_disparities
from rcrp.eval.gate import check_promotion
from rcrp.models.taxonomy import default_taxonomy
from rcrp.models.triage_model import DecisionPolicy, TriageModel
from rcrp.training.linear import LinearTriageEstimator
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.corpus import iter_corpus

TAX = default_taxonomy()
CATS = ["a", "b", "c"]


def _calls(n: int, seed: int, *, miss_black: float = 0.0):
    rng = np.random.default_rng(seed)
    yc = rng.choice(CATS, n)
    pc = np.where(rng.random(n) < 0.8, yc, rng.choice(CATS, n))
    yf = rng.random(n) < 0.4
    pf = np.where(yf, rng.random(n) > 0.05, rng.random(n) < 0.3)
    attrs = {"age_band": rng.choice(["child", "adult", "older", "unknown"], n, p=[.1, .7, .15, .05]),
             "sex": rng.choice(["female", "male", "unknown"], n, p=[.48, .48, .04]),
             "ethnicity": rng.choice(["white", "black", "asian", "mixed", "other", "not_stated"], n,
                                     p=[.6, .12, .12, .06, .05, .05])}
    pf[(attrs["ethnicity"] == "black") & yf & (rng.random(n) < miss_black)] = False
    return yc, yf, pc, pf, attrs


def _screen(yc, yf, pc, pf, attrs, config=None):
    config = config or FairnessConfig(n_boot=200)
    specs = rate_specs(yc, yf, pc, pf, CATS)
    table = screen_disparities(group_rates(attrs, specs, config), specs, config)
    return table, fairness_summary(table, config)


def test_rates_have_counts_and_intervals_and_zero_of_n_is_not_a_point():
    draws = draw_resamples(100, 500, seed=1)
    hit = np.arange(100) < 30
    r = rate_with_interval(hit, np.ones(100, bool), draws)
    assert r["successes"] == 30 and r["trials"] == 100 and r["ci_low"] < 0.3 < r["ci_high"]
    none = rate_with_interval(np.zeros(100, bool), np.ones(100, bool), draws)
    assert none["value"] == 0 and none["ci_low"] == 0 and none["ci_high"] > 0.02  # Wilson, not a collapsed bootstrap


def test_evaluation_counts_match_a_hand_count():
    yc, yf, pc, pf, _ = _calls(500, 3)
    ev = evaluate_suggestions(yc, yf, pc, pf, np.where(pf, 0.9, 0.1), 0.5, np.full(500, 0.7), CATS, n_boot=200)
    flag = ev["flag_as_advised"]
    assert flag["counts"]["fn"] == int((yf & ~pf).sum())
    assert flag["false_negative_rate"]["trials"] == int(yf.sum())
    assert ev["category"]["confusion"]["matrix"][0][0] == int(((yc == "a") & (pc == "a")).sum())
    low, high = ev["category"]["macro_f1"]["ci_low"], ev["category"]["macro_f1"]["ci_high"]
    assert low <= ev["category"]["macro_f1"]["value"] <= high
    with pytest.raises(ValueError, match="one entry per call"):
        evaluate_suggestions(yc, yf[:-1], pc, pf, pf, 0.5, pf, CATS)
    with pytest.raises(ValueError, match="not in the taxonomy"):
        evaluate_suggestions(["zzz"], [True], ["a"], [True], [0.9], 0.5, [0.9], CATS)


def test_group_rates_equal_fairlearn_and_empty_intersections_are_rows_not_crashes():
    from fairlearn.metrics import MetricFrame, false_negative_rate

    yc, yf, pc, pf, attrs = _calls(2000, 5)
    attrs["sex"][attrs["ethnicity"] == "other"] = "female"  # no male / other, no unknown / other: empty cells
    table, _ = _screen(yc, yf, pc, pf, attrs)
    ours = table[(table.grouping == "ethnicity") & (table.metric == "flag_false_negative_rate")].set_index("group")
    theirs = MetricFrame(metrics=partial(false_negative_rate, pos_label=True), y_true=yf, y_pred=pf,
                         sensitive_features=attrs["ethnicity"]).by_group
    for group, value in theirs.items():
        assert ours.loc[group, "value"] == pytest.approx(value)
        assert ours.loc[group, "ci_low"] <= value <= ours.loc[group, "ci_high"]
    empty = table[(table.grouping == "sex x ethnicity") & (table.group == "male / other")]
    assert len(empty) and empty.denominator.eq(0).all() and empty.too_small.all() and empty.value.isna().all()


def test_an_injected_disparity_is_flagged_and_named():
    _, summary = _screen(*_calls(4000, 11, miss_black=0.3))
    assert "ethnicity=black" in summary["flag_fnr_flagged_groups"]
    assert summary["flag_fnr_max_ratio"] > 3


def test_no_injection_gives_no_more_false_alarms_than_promised():
    # alpha = 0.05 bounds the chance of any false alarm on a measure; 12 unbiased tables x 9 measures are
    # 108 chances, so about 5 alarmed measures at most are expected (11 is the binomial 99th percentile).
    alarmed = 0
    for seed in range(12):
        table, _ = _screen(*_calls(2500, seed), FairnessConfig(n_boot=100))
        alarmed += table[table.flagged].metric.nunique()
    assert alarmed <= 11


def test_an_attribute_that_is_all_unknown_is_named_not_silently_passed():
    yc, yf, pc, pf, attrs = _calls(1500, 9)
    attrs["ethnicity"] = np.array(["not_stated"] * 1500)
    _, summary = _screen(yc, yf, pc, pf, attrs)
    assert summary["attributes_not_judged"] == ["ethnicity"]


def test_fairness_config_rejects_a_bad_band():
    with pytest.raises(ValueError, match="band"):
        FairnessConfig(band=(1.2, 0.8))


def test_lexicon_variants_keep_case_and_swap_consistently(tmp_path):
    lex = load_lexicon()
    dims = {d.name: d for d in lex.dimensions}
    eth = variants("Caller says the man is Polish and drunk.", dims["ethnicity_nationality"])
    assert eth[0] == ("Polish", "Caller says the man is Polish and drunk.")
    assert ("Somali", "Caller says the man is Somali and drunk.") in eth
    added = variants("Welfare check requested.", dims["religion"])
    assert added[0][1] == "Welfare check requested. The person is Muslim."
    swapped = variants("He said his son is with him.", dims["sex_gender_words"])
    assert swapped[1][1] == "She said her daughter is with her."
    extra = tmp_path / "extra.yaml"
    extra.write_text("dimensions:\n  religion:\n    kind: substitute\n    terms: [Rastafarian, Jain]\n", encoding="utf-8")
    assert {"Rastafarian", "Jain", "Sikh"} <= set({d.name: d for d in load_lexicon([extra]).dimensions}["religion"].terms)
    extra.write_text("dimensions:\n  religion:\n    kind: substitute\n    trems: [x]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dimensions.religion: unknown keys \['trems'\]"):
        load_lexicon([extra])


@pytest.fixture(scope="module")
def small_model():
    rows = [r for chunk in iter_corpus(SynthConfig(n=1500, seed=31), workers=1) for r in chunk]
    est = LinearTriageEstimator(categories=TAX.category_names, c=4.0, max_word_features=20_000,
                                max_char_features=20_000).fit([r["narrative"] for r in rows], [r["category"] for r in rows],
                                                              [r["police_response_required"] for r in rows])
    return TriageModel(est.scorer_, DecisionPolicy(threshold=0.3), taxonomy_id=TAX.label_id,
                       flag_name=TAX.flag_name), [r["narrative"] for r in rows[:25]]


def test_counterfactual_tests_on_a_real_model(small_model):
    model, narratives = small_model
    report = counterfactual_tests(model, narratives, load_lexicon())
    dims = report["dimensions"]
    assert dims["religion"]["narratives"] == 25 and report["flip_rate"]["trials"] >= 100
    # Redaction removes most given names before the model reads them.
    assert dims["given_name"]["flip_rate"]["value"] <= dims["ethnicity_nationality"]["flip_rate"]["value"] + 0.05
    risk = report["current_risk"]
    assert risk["checks"] == 25 * len(load_lexicon().current_risk_additions)
    assert risk["advice_lowered"]["successes"] == 0  # the safety guard raises the flag on every one


def test_the_gate_needs_an_assessment_and_names_each_failure():
    metrics = {"flag_recall": 0.98, "macro_f1": 0.8}
    never = check_promotion(metrics, target_recall=0.98, min_macro_f1=0.6)
    assert not never.passed and {c.name for c in never.failures} == {
        "assessed_flag_recall", "group_flag_false_negative_rate", "counterfactual_flip_rate"}
    good = {"data": "held_out.jsonl", "flag_recall": "0.97", "flag_recall_ci_high": "0.99", "flag_fnr_flagged": "none",
            "flip_rate": "0.01", "band": "0.8-1.25"}
    assert check_promotion(metrics, target_recall=0.98, min_macro_f1=0.6, assessment=good).passed
    bad = {**good, "flag_recall_ci_high": "0.95", "flag_fnr_flagged": "ethnicity=black;sex x ethnicity=male / black",
           "flip_rate": "0.2"}
    result = check_promotion(metrics, target_recall=0.98, min_macro_f1=0.6, assessment=bad, max_flip_rate=0.05)
    details = {c.name: c.detail for c in result.failures}
    assert set(details) == {"assessed_flag_recall", "group_flag_false_negative_rate", "counterfactual_flip_rate"}
    assert "ethnicity=black" in details["group_flag_false_negative_rate"] and "0.2" in details["counterfactual_flip_rate"]
