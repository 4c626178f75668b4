"""The transformer family: bundled MiniLM weights (pinned hash, offline), its scorer and the ensemble."""

from __future__ import annotations

import numpy as np
import pytest

from rcrp.models.minilm_scorer import MINILM_SHA256, EnsembleScorer, MiniLMEncoder, MiniLMScorer
from rcrp.models.settings import Settings
from rcrp.models.triage_model import TriageModel
from rcrp.training.config import load_train_config
from rcrp.training.train import load_training_data, train_model


def test_the_bundled_weights_are_the_pinned_ones_and_load_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert MiniLMEncoder.weights_sha256() == MINILM_SHA256
    emb = MiniLMEncoder().embed(["man on the railway line", "woman on the train tracks", "parking dispute"])
    assert emb.shape == (3, 384) and np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    sims = emb @ emb.T
    assert sims[0, 1] > sims[0, 2]  # meaning, not spelling: the railway sentences are closest


def test_changed_weights_are_refused():
    with pytest.raises(RuntimeError, match="weights changed"):
        MiniLMEncoder(expected_sha256="0" * 64).embed(["x"])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("minilm")
    settings = Settings(data_dir=root)
    cfg = load_train_config(None, model="ensemble", seed=3,
                            data={"synthetic_rows": 400, "synthetic_seed": 9}, linear={"c_grid": [4.0]},
                            transformer={"c_grid": [10.0]},
                            validation={"group_by": "register", "in_distribution_folds": 2, "max_rows": 400})
    data = load_training_data(settings, cfg)
    return train_model(settings, cfg, data, config_text="test", log_to_mlflow=False, model_dir=root / "model")


def test_ensemble_training_reports_all_families_and_keeps_the_best(trained):
    fams = trained.report["families"]
    assert set(fams) == {"linear", "minilm", "ensemble"}
    single = max(("linear", "minilm"), key=lambda k: fams[k]["selection_score"])
    expected = "ensemble" if fams["ensemble"]["selection_score"] > fams[single]["selection_score"] else single
    assert trained.report["model_kind"] == expected
    if expected != "ensemble":
        assert "did not beat" in trained.report["choice_note"]


def test_minilm_and_ensemble_scorers_round_trip(trained, tmp_path):
    texts = ["Patient walked out of A&E before triage.", "Detained patient AWOL from the ward on section 3."]
    data_emb = np.random.default_rng(0).normal(size=(5, 384)).astype(np.float32)
    k = 6
    scorer = MiniLMScorer(categories=trained.model.categories, flag_name="police_response_required",
                          category_coef=np.random.default_rng(1).normal(size=(k, 384)), category_intercept=np.zeros(k),
                          flag_coef=np.random.default_rng(2).normal(size=384), flag_intercept=0.1, temperature=1.3,
                          platt=(0.9, -0.2))
    loaded = MiniLMScorer.load(scorer.save(tmp_path / "m"))
    assert np.allclose(scorer.raw_from_embeddings(data_emb)[0], loaded.raw_from_embeddings(data_emb)[0])
    linear = trained.model.scorer if trained.model.scorer.kind == "linear" else trained.model.scorer.linear
    ens = EnsembleScorer(linear, scorer, 0.5)
    again = EnsembleScorer.load(ens.save(tmp_path / "e"))
    p1, f1, _ = ens.score(texts)
    p2, f2, _ = again.score(texts)
    assert np.allclose(p1, p2) and np.allclose(f1, f2)
    model = TriageModel(again, trained.model.policy, taxonomy_id="t@1", flag_name="police_response_required")
    reloaded = TriageModel.load(model.save(tmp_path / "tm"))
    assert reloaded.scorer.kind == "ensemble"
    assert [s.police_response_score for s in reloaded.suggest(["a", "b"], texts)] == [
        s.police_response_score for s in model.suggest(["a", "b"], texts)]
