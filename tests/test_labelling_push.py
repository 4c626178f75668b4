"""``rcrp label push`` against a real Label Studio server: the interface generated from the taxonomy, tasks
with the model's suggestion pre-filled, redacted text only, subject attributes hidden, idempotent pushes, an
outage that loses nothing, and the three sources (disputed, uncertain, active-learning pool)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest

from rcrp.labelling.interface import CATEGORY, FLAG, labelling_config
from rcrp.labelling.label_studio import LabelStudio
from rcrp.labelling.push import disputed_candidates, push
from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.redaction import redact_narrative
from rcrp.models.taxonomy import default_taxonomy

TAX = default_taxonomy()


def _disputed_rows(n: int, tag: str) -> list[dict]:
    """Rows as the service's /v1/audit/disputed export gives them (governance view, with subject columns)."""
    return [{"suggestion_id": f"{tag}{i:030d}", "created_at": "2026-12-01T10:00:00+00:00", "call_ref": f"CAD-{tag}-{i}",
             "narrative_redacted": f"Caller says Mr Jaworski on 07700 900123 walked out of A&E ({i}), staff worried.",
             "model_version": "rcrp-triage/3@champion", "category": "walkout_healthcare",
             "police_response_required": True, "police_response_score": 0.41, "uncertain": True,
             "decided_at": "2026-12-01T10:01:00+00:00", "decided_category": "concern_for_welfare",
             "police_attend": False, "reason_redacted": None, "subject_sex": "male", "subject_ethnicity": "white"}
            for i in range(n)]


def test_the_interface_is_generated_from_the_taxonomy_and_accepted_by_label_studio(label_studio):
    url, token, _ = label_studio
    config = labelling_config(TAX)
    for c in TAX.categories:
        assert f'value="{c.name}"' in config and c.description[:40] in config
    assert "Unsure / needs senior review" in config and "<TextArea" in config
    r = httpx.post(f"{url}/api/projects/validate", headers={"Authorization": f"Token {token}"},
                   json={"label_config": config})
    assert r.status_code == 204, r.text


def test_push_pre_annotates_hides_subjects_redacts_and_never_duplicates(label_studio):
    url, token, _ = label_studio
    with LabelStudio(url, token) as studio:
        project = studio.project("push idempotency", labelling_config(TAX))
        assert studio.project("push idempotency", labelling_config(TAX)) == project  # found, not made again
        first = push(studio, project, disputed_candidates(_disputed_rows(3, "a")), redact_narrative)
        assert (first.imported, first.already_there) == (3, 0) and len(first.task_ids) == 3
        again = push(studio, project, disputed_candidates(_disputed_rows(5, "a")), redact_narrative)
        assert (again.imported, again.already_there) == (2, 3)
        tasks = list(studio.tasks(project, fields="all"))
    assert len(tasks) == 5 and len({t["data"]["task_key"] for t in tasks}) == 5
    task = tasks[0]
    assert task["data"]["source"] == "disputed" and task["data"]["handler_category"] == "concern_for_welfare"
    assert "Jaworski" not in json.dumps(task) and "07700 900123" not in json.dumps(task)
    assert not any(k.startswith("subject") for k in task["data"]) and task["meta"]["subject"] == {"sex": "male",
                                                                                                   "ethnicity": "white"}
    [prediction] = task["predictions"]
    assert prediction["model_version"] == "rcrp-triage/3@champion" and prediction["score"] == pytest.approx(0.41)
    values = {r["from_name"]: r["value"]["choices"] for r in prediction["result"]}
    assert values == {CATEGORY: ["walkout_healthcare"], FLAG: ["yes"]}


def test_a_malformed_disputed_export_names_the_row_and_field():
    rows = _disputed_rows(2, "m")
    del rows[1]["narrative_redacted"]
    with pytest.raises(RcrpError) as err:
        disputed_candidates(rows)
    assert err.value.code == ErrorCode.COLUMN_MISSING and err.value.detail == "disputed calls, row 2: narrative_redacted"


def test_an_outage_is_a_clear_error_and_the_next_push_sends_everything(label_studio, free_port):
    url, token, _ = label_studio
    rows = disputed_candidates(_disputed_rows(4, "b"))
    with LabelStudio(f"http://127.0.0.1:{free_port()}", token, timeout=3) as down:
        with pytest.raises(RcrpError) as err:
            push(down, 1, rows, redact_narrative)
    assert err.value.code == ErrorCode.LABEL_STUDIO_UNAVAILABLE and "nothing was lost" in str(err.value)
    with LabelStudio(url, token) as studio:
        project = studio.project("push after outage", labelling_config(TAX))
        assert push(studio, project, rows, redact_narrative).imported == 4
        assert push(studio, project, rows, redact_narrative).imported == 0


def test_the_command_pushes_disputed_uncertain_and_pool_tasks(label_studio, model_dir, tmp_path):
    url, token, _ = label_studio
    disputed = tmp_path / "disputed.json"
    disputed.write_text(json.dumps({"rows": _disputed_rows(2, "c")}), encoding="utf-8")
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    calls = tmp_path / "calls.jsonl"
    rows = [r for chunk in iter_corpus(SynthConfig(n=300, seed=5), workers=1) for r in chunk]
    calls.write_text("".join(json.dumps({"id": r["id"], "narrative": r["narrative"]}) + "\n" for r in rows),
                     encoding="utf-8")
    env = {**os.environ, "RCRP_DATA_DIR": str(tmp_path / "data"), "RCRP_MODEL_URI": str(model_dir),
           "RCRP_LABEL_STUDIO_URL": url, "RCRP_LABEL_STUDIO_TOKEN": token, "RCRP_LABEL_STUDIO_PROJECT": "command push"}
    out_json = tmp_path / "push.json"

    def run(*args: str) -> dict:
        out = subprocess.run([sys.executable, "-m", "rcrp", "label", "push", *args, "--json", str(out_json)],
                             env=env, capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr
        return json.loads(out_json.read_text())

    first = run("--disputed-file", str(disputed), "--uncertain", str(calls), "--pool", str(calls),
                "--strategy", "diverse", "--k", "10")
    by_source = first["candidates_by_source"]
    assert by_source["disputed"] == 2 and by_source["pool"] == 10 and by_source.get("uncertain", 0) >= 1
    assert first["imported"] == sum(by_source.values())
    assert run("--disputed-file", str(disputed), "--uncertain", str(calls), "--pool", str(calls),
               "--strategy", "diverse", "--k", "10")["imported"] == 0
    bad = subprocess.run([sys.executable, "-m", "rcrp", "label", "push", "--pool", str(calls), "--strategy", "psychic"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--strategy" in bad.stderr


def test_the_ml_backend_gives_label_studio_live_suggestions_and_records_arrivals(label_studio, model_dir, tmp_path,
                                                                                 loopback_server):
    from rcrp.labelling.ml_backend import create_ml_backend, read_arrivals
    from rcrp.labelling.settings import LabellingSettings

    url, token, _ = label_studio
    settings = LabellingSettings(data_dir=tmp_path, model_uri=str(model_dir))
    auth = {"Authorization": f"Token {token}"}
    with loopback_server(create_ml_backend(settings)) as backend, LabelStudio(url, token) as studio:
        health = httpx.get(backend + "/health").json()
        assert health["model_loaded"] is True
        project = studio.project("ml backend", labelling_config(TAX))
        connected = httpx.post(f"{url}/api/ml", headers=auth, json={"url": backend, "project": project, "title": "rcrp"})
        assert connected.status_code == 201, connected.text
        assert connected.json()["model_version"] == health["model_version"]
        [task_id] = studio.import_tasks(project, [{"data": {"text": "He is on the railway bridge with a knife.",
                                                            "task_key": "direct:1"}}])
        done = httpx.post(f"{url}/api/dm/actions", headers=auth, params={"id": "retrieve_tasks_predictions",
                                                                          "project": project},
                          json={"selectedItems": {"all": True, "excluded": []}})
        assert done.status_code == 200, done.text
        [task] = [t for t in studio.tasks(project, fields="all") if t["id"] == task_id]
        [prediction] = task["predictions"]
        assert prediction["model_version"] == health["model_version"]
        assert {r["from_name"]: r["value"]["choices"] for r in prediction["result"]}[FLAG] == ["yes"]  # safety guard
        studio.annotate(task_id, [{"from_name": CATEGORY, "to_name": "text", "type": "choices",
                                   "value": {"choices": ["concern_for_welfare"]}},
                                  {"from_name": FLAG, "to_name": "text", "type": "choices", "value": {"choices": ["yes"]}}])
        arrived = [a for a in read_arrivals(settings) if a["action"] == "ANNOTATION_CREATED"]
        junk = httpx.post(backend + "/webhook", json={"action": "he is on the railway bridge", "task": "railway"})
        assert junk.status_code == 200
    assert [a["task"] for a in arrived] == [task_id]
    stored = (tmp_path / "labelling" / "arrivals.jsonl").read_text()
    assert "railway" not in stored and read_arrivals(settings)[-1] == {**read_arrivals(settings)[-1], "action": "unknown",
                                                                        "task": None}
    no_model = create_ml_backend(LabellingSettings(data_dir=tmp_path, model_uri=str(tmp_path / "nothing")))
    with loopback_server(no_model) as backend:
        assert httpx.get(backend + "/health").json()["model_loaded"] is False
        assert httpx.post(backend + "/predict", json={"tasks": [{"id": 1, "data": {"text": "x"}}]}).status_code == 503
