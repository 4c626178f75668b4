"""``rcrp label pull`` end to end against a real Label Studio server: tasks pushed with pre-annotations, two
real annotator accounts (one made through Label Studio's invite and signup, as a person would), a
disagreement, an "unsure", agreement figures, adjudication by rule, conflicts listed, and an immutable,
versioned dataset that ``rcrp train`` reads."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import httpx
import pytest

from rcrp.labelling.adjudication import Annotation, adjudicate
from rcrp.labelling.agreement import krippendorff_alpha, pairwise_kappa
from rcrp.labelling.interface import CATEGORY, FLAG, REVIEW, UNSURE, labelling_config
from rcrp.labelling.label_studio import LabelStudio
from rcrp.labelling.push import Candidate, push
from rcrp.models.call_files import load_calls
from rcrp.models.redaction import redact_narrative
from rcrp.models.taxonomy import default_taxonomy

TAX = default_taxonomy()


def test_krippendorff_alpha_reproduces_the_published_example():
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units, missing values,
    nominal alpha 0.743."""
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
            [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    units = {u: {f"c{c}": data[c][u] for c in range(4) if data[c][u] is not None} for u in range(12)}
    alpha, n = krippendorff_alpha(units)
    assert round(alpha, 3) == 0.743 and n == 11
    assert krippendorff_alpha({1: {"a": "x", "b": "x"}, 2: {"a": "x", "b": "x"}}) == (None, 2)  # no variation
    [row] = pairwise_kappa({1: {"a": "x", "b": "x"}, 2: {"a": "y", "b": "y"}, 3: {"a": "x", "b": "y"}})
    assert row["units"] == 3 and row["agreed"] == 2 and row["kappa"] == pytest.approx(0.4)


def test_adjudication_rules_decide_or_list_the_conflict():
    a = Annotation("a@x", "walkout_healthcare", False, False)
    b = Annotation("b@x", "walkout_healthcare", False, False)
    c = Annotation("c@x", "concern_for_welfare", True, False)
    unsure = Annotation("d@x", None, None, True)
    assert adjudicate([a, b], "unanimous").category == "walkout_healthcare"
    assert "disagree on category and police response" in adjudicate([a, c], "unanimous").conflict
    assert adjudicate([a, b, c], "majority").decided and not adjudicate([a, c], "majority").decided
    assert "unsure" in adjudicate([a, unsure], "unanimous").conflict
    assert not adjudicate([a, unsure], "majority").decided  # unsure prevents a majority, never makes one
    assert adjudicate([a, c], "senior", seniors=["c@x"]).flag is True
    assert adjudicate([a, c], "senior", seniors=["a@x", "c@x"]).conflict == "senior annotators disagree"
    with pytest.raises(ValueError, match="rule"):
        adjudicate([a], "coin toss")


def _annotator(url: str, admin_token: str, email: str, password: str) -> str:
    """A second Label Studio account made through the admin's invite link and the signup form; its token."""
    invite = httpx.get(f"{url}/api/invite", headers={"Authorization": f"Token {admin_token}"}).json()["token"]
    with httpx.Client(base_url=url, follow_redirects=False) as web:
        page = f"/user/signup/?token={invite}"
        web.get(page)
        made = web.post(page, data={"csrfmiddlewaretoken": web.cookies["csrftoken"], "email": email,
                                    "password": password}, headers={"Referer": url + page})
        assert made.status_code == 302, "signup refused"
        return web.get("/api/current-user/token").json()["token"]


def _label(category: str, flag: str, unsure: bool = False) -> list[dict]:
    out = [{"from_name": CATEGORY, "to_name": "text", "type": "choices", "value": {"choices": [category]}},
           {"from_name": FLAG, "to_name": "text", "type": "choices", "value": {"choices": [flag]}}]
    if unsure:
        out.append({"from_name": REVIEW, "to_name": "text", "type": "choices", "value": {"choices": [UNSURE]}})
    return out


def test_two_annotators_agreement_adjudication_and_a_versioned_dataset(label_studio, tmp_path):
    url, admin_token, _ = label_studio
    annotator_token = _annotator(url, admin_token, "annotator.one@rcrp.local", "Ann0tator-pass-2026")
    narratives = ["Patient walked out of A&E before triage, staff not worried, he is calm.",
                  "Caller says her son is on the railway bridge parapet threatening to jump.",
                  "Care home asks police to take a resident to hospital, no ambulance for hours.",
                  "Neighbour has not seen the elderly man next door for three days.",
                  "Ward reports informal patient left for a cigarette and has not come back."]
    candidates = [Candidate(key=f"pool:call-{i}", source="pool", text=t, call_ref=f"call-{i}",
                            subject={"sex": "male", "age_band": "adult"}, category="walkout_healthcare", flag=False,
                            score=0.2, model_version="rcrp-triage/1@champion") for i, t in enumerate(narratives)]
    admin_plan = [("walkout_healthcare", "no"), ("concern_for_welfare", "yes"), ("conveyance", "no"),
                  ("concern_for_welfare", "no"), ("walkout_healthcare", "no")]
    other_plan = [("walkout_healthcare", "no"), ("concern_for_welfare", "yes"), ("conveyance", "yes"),
                  ("concern_for_welfare", "no"), ("walkout_healthcare", "no", True)]
    with LabelStudio(url, admin_token) as admin, LabelStudio(url, annotator_token) as other:
        project = admin.project("two annotators", labelling_config(TAX))
        push(admin, project, candidates, redact_narrative)
        tasks = sorted(admin.tasks(project), key=lambda t: t["data"]["task_key"])
        for task, mine, theirs in zip(tasks, admin_plan, other_plan):
            admin.annotate(task["id"], _label(*mine))
            other.annotate(task["id"], _label(*theirs))
        assert other.whoami()["email"] == "annotator.one@rcrp.local"

    env = {**os.environ, "RCRP_DATA_DIR": str(tmp_path), "RCRP_LABEL_STUDIO_URL": url,
           "RCRP_LABEL_STUDIO_TOKEN": admin_token, "RCRP_LABEL_STUDIO_PROJECT": "two annotators"}
    out_json = tmp_path / "pull.json"

    def pull(*args: str) -> dict:
        out = subprocess.run([sys.executable, "-m", "rcrp", "label", "pull", *args, "--json", str(out_json)], env=env,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return json.loads(out_json.read_text())

    first = pull("--rule", "unanimous")
    assert first["written"] and first["labelled"] == 3
    reasons = sorted(c["reason"] for c in first["conflicts"])
    assert reasons == ["annotators disagree on police response", "marked unsure: needs senior review"]
    alpha = {r["field"]: r for r in first["agreement"] if r["measure"] == "krippendorff_alpha"}
    assert alpha["category"]["value"] == pytest.approx(1.0) and alpha["category"]["units"] == 5
    assert alpha["police_response"]["units"] == 5 and alpha["police_response"]["value"] < 1.0
    [kappa] = [r for r in first["agreement"] if r["measure"] == "cohen_kappa" and r["field"] == "police_response"]
    assert kappa["units"] == 5 and "annotator.one@rcrp.local" in kappa["annotators"]

    version = tmp_path / "labelled" / "v0001"
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["rows"] == 3 and manifest["conflicts"] == 2 and manifest["rule"] == "unanimous"
    assert not os.stat(version / "labels.parquet").st_mode & stat.S_IWUSR  # read-only once written
    loaded = load_calls(version / "labels.parquet", taxonomy=TAX, require_labels=True)
    assert loaded.accepted == 3 and not loaded.rejects  # what rcrp train --data reads
    row = next(r for r in loaded.dataset if r["category"] == "concern_for_welfare")
    assert row["police_response_required"] is True and row["sex"] == "male"
    assert pull("--rule", "unanimous")["written"] is False  # nothing changed: no new version

    senior = pull("--rule", "senior", "--senior", "annotator.one@rcrp.local", "--merge-with", str(version))
    assert senior["written"] and senior["labelled"] == 4  # the senior decides the flag dispute; unsure stays
    merged = json.loads((tmp_path / "labelled" / "v0002" / "manifest.json").read_text())
    assert merged["parent"]["rows"] == 3 and merged["rows"] == 4
    bad = subprocess.run([sys.executable, "-m", "rcrp", "label", "pull", "--rule", "senior"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--senior" in bad.stderr

    # A challenger trained from the result: the newest version, merged with earlier labelled (generated) calls.
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text("".join(json.dumps(r) + "\n" for chunk in iter_corpus(SynthConfig(n=1200, seed=3), workers=1)
                               for r in chunk), encoding="utf-8")
    (tmp_path / "small.yaml").write_text(
        "model: linear\nseed: 5\nvalidation: {group_by: register, in_distribution_folds: 2, max_rows: 1600}\n"
        "linear: {c_grid: [2.0], max_word_features: 20000, max_char_features: 20000}\n", encoding="utf-8")
    trained = subprocess.run([sys.executable, "-m", "rcrp", "label", "retrain", "--base", str(earlier), "--config",
                              str(tmp_path / "small.yaml"), "--json", str(tmp_path / "retrain.json")],
                             env={**env, "MLFLOW_DISABLE_TELEMETRY": "true"}, capture_output=True, text=True, timeout=900)
    assert trained.returncode == 0, trained.stderr
    retrained = json.loads((tmp_path / "retrain.json").read_text())
    assert retrained["labelled_dataset"] == "v0002" and retrained["gate"]["promoted"] is False
