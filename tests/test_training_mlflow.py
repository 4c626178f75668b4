"""Training end to end against a real MLflow store (SQLite file and local artifacts in a temp dir):
``rcrp train`` -> registry -> ``rcrp models promote`` -> ``rcrp predict``, run as the user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SMALL = """\
model: linear
seed: 5
data: {synthetic_rows: 1600, synthetic_seed: 21}
validation: {group_by: register, in_distribution_folds: 2, max_rows: 1600}
linear: {c_grid: [2.0], max_word_features: 20000, max_char_features: 20000}
policy: {target_recall: 0.98, flag_band: 0.5, category_margin: 0.15}
gate: {min_macro_f1: %s, max_counterfactual_flip_rate: 0.5}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory, rcrp):
    root = tmp_path_factory.mktemp("mlflow-store")
    env = {**os.environ, "RCRP_DATA_DIR": str(root / "data"), "MLFLOW_DISABLE_TELEMETRY": "true"}
    (root / "small.yaml").write_text(SMALL % 0.6, encoding="utf-8")
    (root / "strict.yaml").write_text(SMALL % 0.999, encoding="utf-8")
    trained = rcrp(env, "train", "--config", str(root / "small.yaml"), "--json", str(root / "train.json"))
    return {"root": root, "env": env, "train": json.loads((root / "train.json").read_text()), "stdout": trained.stdout}


def _client(store):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from rcrp.models.registry import mlflow_client
    from rcrp.models.settings import Settings

    return mlflow_client(Settings(data_dir=store["root"] / "data"))


def test_a_run_is_logged_with_everything_needed_to_audit_it(store):
    client = _client(store)
    run_id = store["train"]["tracking"]["run_id"]
    run = client.get_run(run_id)
    assert run.data.params["linear.c_grid"] == "[2.0]" and run.data.tags["rcrp.synthetic"] == "true"
    assert run.data.tags["rcrp.data_sha256"] == store["train"]["lineage"]["sha256"]
    for key in ("flag_recall", "flag_precision", "flag_precision_ci_low", "macro_f1", "threshold",
                "in_distribution_macro_f1", "flag_ece"):
        assert key in run.data.metrics, key
    import mlflow

    listed = {a.path for a in client.list_artifacts(run_id)} | {
        a.path for d in ("config", "data", "validation") for a in client.list_artifacts(run_id, d)}
    for expected in ("config/train_config.yaml", "data/lineage.json", "validation/report.json", "environment.json",
                     "validation/confusion_held_out_groups.png", "validation/flag_calibration.png"):
        assert expected in listed, (expected, listed)
    report = json.loads(Path(mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="validation/report.json",
                                                                  tracking_uri=client.tracking_uri)).read_text())
    assert set(report["held_out_groups"]["by_group"]) == {"handler_narrative", "partner_referral", "public_report",
                                                          "terse_log"}
    lineage = store["train"]["lineage"]
    assert lineage["synthetic"] and lineage["rows"] == 1600 and sum(lineage["category_counts"].values()) == 1600


def test_new_versions_are_challengers_and_store_no_pickle(store):
    client = _client(store)
    mv = client.get_model_version_by_alias("rcrp-triage", "challenger")
    assert str(mv.version) == store["train"]["tracking"]["version"]
    assert float(mv.tags["metric.flag_recall"]) >= 0.97
    import mlflow

    local = Path(mlflow.artifacts.download_artifacts(artifact_uri=f"models:/rcrp-triage/{mv.version}",
                                                     dst_path=str(store["root"] / "dl")))
    files = [p.name for p in local.rglob("*") if p.is_file()]
    assert "triage_model.json" in files and "MLmodel" in files
    assert not [f for f in files if f.endswith((".pkl", ".pickle", ".joblib"))], files


def test_predict_needs_a_champion_then_writes_every_field(store, rcrp):
    env, root = store["env"], store["root"]
    calls = root / "calls.jsonl"
    calls.write_text("\n".join(json.dumps(r) for r in [
        {"id": "1", "narrative": "Caller says her son Amir Khan has taken 30 paracetamol at 12 Elm Road."},
        {"id": "2", "narrative": "Neighbour dispute about parking, no threats, advice only."},
        {"id": "3", "narrative": ""},
    ]) + "\n", encoding="utf-8")
    refused = rcrp(env, "predict", str(calls), "-o", str(root / "none.jsonl"), check=False)
    assert refused.returncode == 2 and "No model could be loaded" in refused.stderr
    assert not (root / "none.jsonl").exists()
    # The gate needs an assessment on held-out labelled calls (tests/test_assessment_cli.py covers it in full).
    rcrp(env, "synth", "-o", str(root / "held_out.jsonl"), "--n", "600", "--seed", "404", "--workers", "1")
    rcrp(env, "fairness", str(root / "held_out.jsonl"), "--model", "models:/rcrp-triage@challenger", "--sample", "5",
         "--n-boot", "100", "--output-dir", str(root / "assessment"))
    promoted = rcrp(env, "models", "promote")
    assert "PASS flag_recall" in promoted.stdout and "champion is now version" in promoted.stdout
    rcrp(env, "predict", str(calls), "-o", str(root / "out.jsonl"))
    rows = [json.loads(line) for line in (root / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["1", "2"]
    for r in rows:
        assert set(r) == {"id", "category", "category_scores", "police_response_required", "police_response_score",
                          "uncertain", "reasons", "model_version"}
        assert abs(sum(r["category_scores"].values()) - 1) < 1e-3 and r["model_version"].endswith("@champion")
    assert rows[0]["police_response_required"] is True
    assert any("safety rule" in reason for reason in rows[0]["reasons"])
    assert "Amir" not in (root / "out.jsonl").read_text()  # explanations quote only redacted text
    rejects = [json.loads(line) for line in (root / "out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert rejects[0]["row"] == 3 and rejects[0]["field"] == "narrative"
    # Worker processes give the same rows in the same order as one process.
    rcrp(env, "predict", str(calls), "-o", str(root / "out2.jsonl"), "--workers", "2", "--batch-size", "1")
    assert (root / "out2.jsonl").read_text() == (root / "out.jsonl").read_text()


def test_the_registered_model_loads_through_pyfunc_without_training_code(store):
    code = (
        "import json, sys, mlflow, pandas as pd\n"
        f"mlflow.set_tracking_uri({_client(store).tracking_uri!r})\n"
        f"m = mlflow.pyfunc.load_model('models:/rcrp-triage/{store['train']['tracking']['version']}')\n"
        "out = m.predict(pd.DataFrame({'id': ['a'], 'narrative': ['Patient walked out of A&E before triage.']}))\n"
        "print(json.dumps({'category': out['category'][0], 'training': any(k.startswith('rcrp.training') for k in sys.modules)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=store["env"], timeout=300,
                         cwd=store["root"])
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"category": "walkout_healthcare", "training": False}


def test_the_gate_refuses_and_an_override_needs_a_justification(store, rcrp):
    env, root = store["env"], store["root"]
    rcrp(env, "train", "--config", str(root / "strict.yaml"))
    refused = rcrp(env, "models", "promote", check=False)
    assert refused.returncode == 2 and "macro_f1" in refused.stderr and "promotion gate" in refused.stderr
    short = rcrp(env, "models", "promote", "--override", "because", check=False)
    assert short.returncode == 2 and "justification" in short.stderr
    why = "Accepted for the demo environment only; not for operational use."
    rcrp(env, "models", "promote", "--override", why)
    listing = rcrp(env, "models", "list", "--json", str(root / "list.json"))
    rows = json.loads((root / "list.json").read_text())
    newest = rows[0]
    assert "champion" in newest["aliases"] and newest["promotion_override"] == why
    assert "v" in listing.stdout and "synthetic=true" in listing.stdout


def test_a_bad_config_names_the_field(store, tmp_path, rcrp):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: linear\nlinear: {c_grid: [1.0], colour: red}\n", encoding="utf-8")
    out = rcrp(store["env"], "train", "--config", str(bad), check=False)
    assert out.returncode == 2 and "linear.colour" in out.stderr and "Extra inputs" in out.stderr
