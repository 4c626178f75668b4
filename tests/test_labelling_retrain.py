"""``rcrp label retrain``: a challenger trained on a labelled-dataset version merged with earlier labelled
calls, logged to a real MLflow store with lineage to the version, and put through the promotion gate without
being promoted (settings decide that)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from rcrp.labelling.pull import PullResult, write_version
from rcrp.models.taxonomy import default_taxonomy

TAX = default_taxonomy()
SMALL = """\
model: linear
seed: 5
validation: {group_by: register, in_distribution_folds: 2, max_rows: 1600}
linear: {c_grid: [2.0], max_word_features: 20000, max_char_features: 20000}
policy: {target_recall: 0.98, flag_band: 0.5, category_margin: 0.15}
gate: {min_macro_f1: 0.6, max_counterfactual_flip_rate: 0.5}
"""


def test_retrain_logs_lineage_to_the_labelled_version_and_gates_without_promoting(tmp_path):
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    rows = [r for chunk in iter_corpus(SynthConfig(n=1400, seed=31), workers=1) for r in chunk]
    base = tmp_path / "earlier.jsonl"
    base.write_text("".join(json.dumps(r) + "\n" for r in rows[:1300]), encoding="utf-8")
    analyst = [{"id": f"pool:{r['id']}", "narrative": r["narrative"], "category": r["category"],
                "police_response_required": r["police_response_required"], "annotators": ["a@x", "b@x"],
                "n_annotators": 2, "agreement_category": 1.0, "agreement_flag": 1.0, "adjudication_rule": "majority",
                "source": "pool", "label_studio_task": i, "label_studio_project": 1, "call_ref": r["id"]}
               for i, r in enumerate(rows[1300:])]
    # Analysts relabel 20 calls the earlier file already has: their label must replace the earlier one.
    other = {c: next(x for x in TAX.category_names if x != c) for c in TAX.category_names}
    analyst += [{**a, "id": f"pool:{r['id']}", "call_ref": r["id"], "narrative": r["narrative"],
                 "category": other[r["category"]], "label_studio_task": 1000 + i}
                for i, (a, r) in enumerate(zip(analyst, rows[:20]))]
    folder, written = write_version(PullResult(analyst, [], [], len(analyst)), tmp_path / "data" / "labelled", TAX,
                                    provenance={"rule": "majority"})
    assert written and folder.name == "v0001"
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    env = {**os.environ, "RCRP_DATA_DIR": str(tmp_path / "data"), "MLFLOW_DISABLE_TELEMETRY": "true"}
    out = subprocess.run([sys.executable, "-m", "rcrp", "label", "retrain", "--base", str(base), "--config",
                          str(tmp_path / "small.yaml"), "--json", str(tmp_path / "retrain.json")], env=env,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    result = json.loads((tmp_path / "retrain.json").read_text())
    assert result["labelled_dataset"] == "v0001" and result["gate"]["promoted"] is False and result["gate"]["checks"]
    assert "not promoted" in out.stdout
    import datasets

    merged = {r["id"]: r for r in datasets.load_dataset("parquet", data_files=result["data_file"], split="train")}
    assert len(merged) == 1300 - 20 + 100 + 20
    for r in rows[:20]:
        assert r["id"] not in merged and merged[f"pool:{r['id']}"]["category"] == other[r["category"]]

    from rcrp.models.registry import mlflow_client
    from rcrp.models.settings import Settings

    client = mlflow_client(Settings(data_dir=tmp_path / "data"))
    run = client.get_run(result["tracking"]["run_id"])
    manifest = json.loads((folder / "manifest.json").read_text())
    assert run.data.tags["rcrp.labelled_dataset.version"] == "v0001"
    assert run.data.tags["rcrp.labelled_dataset.labels_sha256"] == manifest["labels_sha256"]
    assert "labelled_dataset/manifest.json" in [a.path for a in client.list_artifacts(run.info.run_id, "labelled_dataset")]
    aliases = client.get_registered_model("rcrp-triage").aliases
    assert str(aliases.get("challenger")) == str(result["tracking"]["version"]) and "champion" not in aliases
    # Auto-promotion on: the gate still decides (this version has no assessment, so it stays challenger).
    auto = subprocess.run([sys.executable, "-m", "rcrp", "label", "retrain", "--base", str(base), "--config",
                           str(tmp_path / "small.yaml"), "--json", str(tmp_path / "auto.json")],
                          env={**env, "RCRP_LABELLING_AUTO_PROMOTE": "true"}, capture_output=True, text=True, timeout=900)
    assert auto.returncode == 0, auto.stderr
    gate = json.loads((tmp_path / "auto.json").read_text())["gate"]
    assert gate["passed"] is False and gate["promoted"] is False
    assert "champion" not in client.get_registered_model("rcrp-triage").aliases
    missing = subprocess.run([sys.executable, "-m", "rcrp", "label", "retrain", "--version", "v0099"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "v0099" in missing.stderr
