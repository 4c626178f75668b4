"""``rcrp evaluate | fairness | report`` and the fairness gate, end to end against a real MLflow store,
on a generated corpus with bias injected on purpose; the report is looked at in a real browser.

The injection (``label_flip`` against ethnicity=black) records 90% of that group's police-response
calls as not needing police, as biased historic labels would. Against those labels the model raises
the flag "too often" for the group: the false-positive rate is where the report must see it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CONFIG = """\
model: linear
seed: 3
validation: {group_by: register, in_distribution_folds: 2, max_rows: 4000}
linear: {c_grid: [4.0], max_word_features: 20000, max_char_features: 20000}
gate: {min_macro_f1: 0.5, max_counterfactual_flip_rate: %s}
"""


@pytest.fixture(scope="module")
def biased(tmp_path_factory, rcrp):
    root = tmp_path_factory.mktemp("assessment")
    env = {**os.environ, "RCRP_DATA_DIR": str(root / "data"), "MLFLOW_DISABLE_TELEMETRY": "true"}
    corpus = root / "corpus.jsonl"
    rcrp(env, "synth", "-o", str(corpus), "--n", "6000", "--seed", "8", "--workers", "1", "--bias-attribute",
         "ethnicity", "--bias-value", "black", "--bias-effect", "label_flip", "--bias-rate", "0.9")
    lines = corpus.read_text(encoding="utf-8").splitlines()
    (root / "train.jsonl").write_text("\n".join(lines[:4000]) + "\n", encoding="utf-8")
    (root / "held_out.jsonl").write_text("\n".join(lines[4000:]) + "\n", encoding="utf-8")
    (root / "config.yaml").write_text(CONFIG % 0.3, encoding="utf-8")
    rcrp(env, "train", "--data", str(root / "train.jsonl"), "--config", str(root / "config.yaml"))
    return {"root": root, "env": env}


def test_promotion_is_refused_until_the_version_is_assessed(biased, rcrp):
    refused = rcrp(biased["env"], "models", "promote", check=False)
    assert refused.returncode == 2 and "not assessed" in refused.stderr
    for check in ("assessed_flag_recall", "group_flag_false_negative_rate", "counterfactual_flip_rate"):
        assert check in refused.stderr


def test_evaluate_writes_metrics_with_intervals_and_plots(biased, rcrp):
    root, env = biased["root"], biased["env"]
    out = root / "evaluation"
    printed = rcrp(env, "evaluate", str(root / "held_out.jsonl"), "--model", "models:/rcrp-triage@challenger",
                    "--output-dir", str(out), "--n-boot", "200")
    assert printed.stdout.startswith("SYNTHETIC data: 2000 calls")
    ev = json.loads((out / "evaluation.json").read_text())
    flag = ev["flag_as_advised"]
    for key in ("recall", "precision", "false_negative_rate", "false_positive_rate"):
        assert {"value", "successes", "trials", "ci_low", "ci_high"} <= set(flag[key])
    assert sum(flag["counts"].values()) == 2000
    assert ev["calibration"]["flag"]["ece"] is not None and (out / "reliability.png").stat().st_size > 5000


@pytest.fixture(scope="module")
def reported(biased, rcrp):
    """The report on the held-out split (after the refusal test above: file order is kept)."""
    root, env = biased["root"], biased["env"]
    out = root / "report"
    printed = rcrp(env, "report", str(root / "held_out.jsonl"), "--model", "models:/rcrp-triage@challenger",
                    "--output-dir", str(out), "--sample", "20", "--n-boot", "200")
    return out, printed.stdout


def test_report_finds_the_injected_bias_records_it_and_the_gate_reads_it(biased, reported, rcrp):
    root, env = biased["root"], biased["env"]
    out, stdout = reported
    assert "recorded on rcrp-triage version 1" in stdout
    fairness = json.loads((out / "fairness.json").read_text())
    flagged = {(r["grouping"], r["group"], r["metric"]) for r in fairness["flagged_rows"]}
    assert ("ethnicity", "black", "flag_false_positive_rate") in flagged
    # Nothing else in the single attributes: the injection touched one group only.
    assert {f for f in flagged if " x " not in f[0]} == {("ethnicity", "black", "flag_false_positive_rate")}
    for name in ("eia_report.html", "eia_report.md", "model_card.md", "atrs_record.json", "fairness_groups.csv"):
        assert (out / name).stat().st_size > 500, name
    card = (out / "model_card.md").read_text()
    for section in ("Model details", "Intended use", "Factors", "Metrics", "Evaluation data", "Training data",
                    "Quantitative analyses", "Ethical considerations", "Caveats and recommendations"):
        assert f"## {section}" in card
    atrs = json.loads((out / "atrs_record.json").read_text())
    assert atrs["tool_specification"]["models"][0]["model_version"] == "rcrp-triage/1@challenger"

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from rcrp.models.registry import mlflow_client
    from rcrp.models.settings import Settings

    client = mlflow_client(Settings(data_dir=root / "data"))
    tags = client.get_model_version("rcrp-triage", "1").tags
    assert tags["assessment.data"] == "held_out.jsonl" and tags["assessment.synthetic"] == "true"
    run_files = {a.path for a in client.list_artifacts(client.get_model_version("rcrp-triage", "1").run_id,
                                                        tags["assessment.artifacts"])}
    assert any(p.endswith("eia_report.html") for p in run_files)
    assert "assessed on held_out.jsonl" in rcrp(env, "models", "list").stdout
    promoted = rcrp(env, "models", "promote")
    assert "PASS group_flag_false_negative_rate" in promoted.stdout and "champion is now version 1" in promoted.stdout


def test_bad_options_name_the_option(biased, rcrp):
    root, env = biased["root"], biased["env"]
    bad = rcrp(env, "fairness", str(root / "held_out.jsonl"), "--band", "1.3,0.7", check=False)
    assert bad.returncode == 2 and "--band" in bad.stderr
    missing = rcrp(env, "fairness", str(root / "nope.jsonl"), check=False)
    assert missing.returncode == 2 and "nope.jsonl" in missing.stderr


def test_the_report_renders_in_a_real_browser(reported):
    html = reported[0] / "eia_report.html"
    from playwright.sync_api import sync_playwright

    chromium = Path("/usr/bin/chromium")
    assert chromium.exists(), "Debian's chromium is needed (make test installs it)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto(html.as_uri())
        assert page.title() == "Right Care, Right Person triage: equality impact evidence"
        assert page.locator(".warn").first.is_visible() and "SYNTHETIC" in page.locator(".warn").first.inner_text()
        assert page.get_by_role("heading", name="Summary in plain language").is_visible()
        widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
        assert len(widths) >= 5 and min(widths) > 100  # every embedded figure decoded and drawn
        page.screenshot(path=str(ARTIFACTS / "eia_report.png"), full_page=True)
        browser.close()
    assert (ARTIFACTS / "eia_report.png").stat().st_size > 50_000
