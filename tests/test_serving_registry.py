"""The service follows the registry: a new champion is picked up without a restart and without a failed
request, against a real MLflow store (SQLite) with two registered versions."""

from __future__ import annotations

import threading
import time

import httpx

from rcrp.models.registry import mlflow_client
from rcrp.models.triage_model import DecisionPolicy, TriageModel
from rcrp.serving.api_keys import KeyRing
from rcrp.serving.app import create_app
from rcrp.serving.settings import ServingSettings
from rcrp.training.tracking import log_training_run

NARRATIVE = "Patient walked out of A&E before triage, staff worried."


def _register(settings, model_dir, threshold: float, tmp_path) -> str:
    model = TriageModel.load(model_dir)
    changed = TriageModel(model.scorer, DecisionPolicy(threshold=threshold), taxonomy_id=model.taxonomy_id,
                          flag_name=model.flag_name, info=model.info, identity_terms=model.masker.terms)
    saved = changed.save(tmp_path / f"v{threshold}" / "triage_model")  # the folder name the registry loader expects
    lineage = {"source": "synthetic:test", "sha256": "0" * 64, "taxonomy": model.taxonomy_id, "synthetic": True}
    return log_training_run(settings, config={"test": True}, config_text="test", lineage=lineage,
                            metrics={"flag_recall": 0.98}, report={}, model_dir=saved, figures={},
                            input_example=[NARRATIVE], run_name=f"threshold-{threshold}")["version"]


def test_a_new_champion_is_served_without_a_restart_or_a_failed_request(tmp_path, model_dir, loopback_server):
    settings = ServingSettings(data_dir=tmp_path, model_refresh_seconds=0.3)
    first, second = _register(settings, model_dir, 0.3, tmp_path), _register(settings, model_dir, 0.6, tmp_path)
    client = mlflow_client(settings)
    client.set_registered_model_alias(settings.registered_model, "champion", first)
    app = create_app(settings)
    key = KeyRing(app.state.audit.engine).create("handler")[1]
    seen: list[tuple[int, str, float]] = []
    stop = threading.Event()

    def stream(base: str) -> None:
        with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=30) as http:
            while not stop.is_set():
                r = http.post("/v1/suggestions", json={"narrative": NARRATIVE})
                body = r.json()
                seen.append((r.status_code, body.get("model", {}).get("version"), body.get("threshold")))

    with loopback_server(app) as base:
        assert httpx.get(base + "/ready").json()["model"] == {"name": "rcrp-triage", "version": first, "alias": "champion"}
        worker = threading.Thread(target=stream, args=(base,))
        worker.start()
        time.sleep(1.0)
        client.set_registered_model_alias(settings.registered_model, "champion", second)
        deadline = time.monotonic() + 60
        while not (seen and seen[-1][1] == second) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
        worker.join(timeout=30)
        assert httpx.get(base + "/ready").json()["model"]["version"] == second
    assert all(status == 200 for status, _, _ in seen), {s for s, _, _ in seen}
    versions = [v for _, v, _ in seen]
    switch = versions.index(second)
    assert switch > 0 and set(versions[:switch]) == {first} and set(versions[switch:]) == {second}
    assert {t for _, v, t in seen if v == first} == {0.3} and {t for _, v, t in seen if v == second} == {0.6}


def test_an_admin_promotes_through_the_gate_and_the_service_switches_at_once(tmp_path, model_dir):
    from fastapi.testclient import TestClient

    settings = ServingSettings(data_dir=tmp_path, model_refresh_seconds=0)
    first, second = _register(settings, model_dir, 0.3, tmp_path), _register(settings, model_dir, 0.6, tmp_path)
    mlflow_client(settings).set_registered_model_alias(settings.registered_model, "champion", first)
    app = create_app(settings)
    ring = KeyRing(app.state.audit.engine)
    admin, handler = ring.create("admin")[1], ring.create("handler")[1]
    with TestClient(app, raise_server_exceptions=False) as client:
        refused = client.post("/v1/model/promote", json={"version": second}, headers={"X-API-Key": admin})
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "promotion_refused" and "assessed" in refused.json()["error"]["detail"]
        assert client.get("/ready").json()["model"]["version"] == first  # nothing changed
        missing = client.post("/v1/model/promote", json={"version": "99"}, headers={"X-API-Key": admin})
        assert missing.status_code == 404 and missing.json()["error"]["field"] == "version"
        assert client.post("/v1/model/promote", json={}, headers={"X-API-Key": handler}).status_code == 403
        done = client.post("/v1/model/promote", headers={"X-API-Key": admin},
                           json={"version": second, "override": "Accepted for the test environment only, not operational."})
        assert done.status_code == 200, done.text
        body = done.json()
        assert body["promoted"] and body["overridden"] and body["model"]["version"] == second
        assert any(not c["passed"] for c in body["checks"])
        s = client.post("/v1/suggestions", json={"narrative": NARRATIVE}, headers={"X-API-Key": handler}).json()
        assert s["model"]["version"] == second and s["threshold"] == 0.6
