"""The suggestion service, route by route, against a real model directory and a real SQLite audit file."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from fastapi.testclient import TestClient

from rcrp.models.taxonomy import default_taxonomy
from rcrp.serving.api_keys import ROLES, KeyRing
from rcrp.serving.app import create_app
from rcrp.serving.settings import ServingSettings

TAX = default_taxonomy()
SENTINEL = "Zyxwvutsrq Sentinelname"
RISKY = "Caller says her son is on the railway bridge parapet threatening to jump, he has a knife."


def _settings(tmp_path, model_uri: str, **extra) -> ServingSettings:
    return ServingSettings(data_dir=tmp_path, model_uri=model_uri, model_refresh_seconds=0, **extra)


@pytest.fixture()
def service(tmp_path, model_dir):
    app = create_app(_settings(tmp_path, str(model_dir), max_batch=3, max_body_bytes=50_000, max_narrative_chars=2_000))
    ring = KeyRing(app.state.audit.engine)
    keys = {role: ring.create(role, f"test {role}")[1] for role in ROLES}
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, keys, app


def _h(key: str) -> dict:
    return {"X-API-Key": key}


def test_a_suggestion_has_every_field_and_is_in_the_audit_before_it_is_returned(service, tmp_path):
    client, keys, app = service
    r = client.post("/v1/suggestions", json={"narrative": RISKY, "call_ref": "CAD-123/2026",
                                             "subject": {"age_band": "adult", "sex": "male"}}, headers=_h(keys["handler"]))
    assert r.status_code == 200, r.text
    s = r.json()
    assert set(s) == {"suggestion_id", "call_ref", "category", "category_scores", "police_response_required",
                      "police_response_score", "threshold", "uncertain", "reasons", "model", "advisory_notice"}
    assert s["category"] in TAX.category_names and set(s["category_scores"]) == set(TAX.category_names)
    assert s["police_response_required"] is True  # the safety guard fires on explicit current risk
    assert any(x["kind"] == "safety_rule" for x in s["reasons"]) and "Advisory only" in s["advisory_notice"]
    assert s["model"]["version"].startswith("local:") and s["threshold"] == 0.3
    with sqlite3.connect(tmp_path / "audit" / "audit.db") as db:
        stored = db.execute("SELECT narrative_redacted, call_ref, role, subject FROM suggestions WHERE id = ?",
                            (s["suggestion_id"],)).fetchone()
    assert stored[1:3] == ("CAD-123/2026", "handler") and '"age_band": "adult"' in stored[3]
    assert "railway bridge" in stored[0]


def test_only_the_redacted_narrative_is_stored(service, tmp_path):
    client, keys, _ = service
    r = client.post("/v1/suggestions", json={"narrative": "Mr Jaworski on 07700 900123 says he feels unsafe at home."},
                    headers=_h(keys["handler"]))
    assert r.status_code == 200
    raw = (tmp_path / "audit" / "audit.db").read_bytes() + b"".join(
        p.read_bytes() for p in (tmp_path / "audit").glob("audit.db-*"))
    assert b"Jaworski" not in raw and b"07700 900123" not in raw


def test_a_decision_that_differs_marks_the_call_disputed_and_is_recorded_once(service, tmp_path):
    client, keys, _ = service
    s = client.post("/v1/suggestions", json={"narrative": RISKY}, headers=_h(keys["handler"])).json()
    other = next(c for c in TAX.category_names if c != s["category"])
    r = client.post(f"/v1/suggestions/{s['suggestion_id']}/decision", headers=_h(keys["handler"]),
                    json={"category": other, "police_attend": False, "reason": "Spoke to Mr Jaworski, he is safe"})
    assert r.status_code == 200 and r.json()["disputed"] is True
    again = client.post(f"/v1/suggestions/{s['suggestion_id']}/decision", headers=_h(keys["handler"]),
                        json={"category": other, "police_attend": False})
    assert again.status_code == 409 and again.json()["error"]["code"] == "decision_exists"
    same = client.post("/v1/suggestions", json={"narrative": RISKY}, headers=_h(keys["handler"])).json()
    agreed = client.post(f"/v1/suggestions/{same['suggestion_id']}/decision", headers=_h(keys["handler"]),
                         json={"category": same["category"], "police_attend": same["police_response_required"]})
    assert agreed.json()["disputed"] is False
    with sqlite3.connect(tmp_path / "audit" / "audit.db") as db:
        reason = db.execute("SELECT reason_redacted FROM decisions WHERE disputed = 1").fetchone()[0]
        assert "Jaworski" not in reason and "[PERSON]" in reason
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE decisions SET disputed = 0")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM suggestions")


def test_decisions_are_checked(service):
    client, keys, _ = service
    h = _h(keys["handler"])
    missing = client.post("/v1/suggestions/" + "0" * 32 + "/decision", headers=h,
                          json={"category": TAX.category_names[0], "police_attend": True})
    assert missing.status_code == 404
    s = client.post("/v1/suggestions", json={"narrative": RISKY}, headers=h).json()
    bad = client.post(f"/v1/suggestions/{s['suggestion_id']}/decision", headers=h,
                      json={"category": "not_a_category", "police_attend": True})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "category"
    bad_id = client.post("/v1/suggestions/NOT-AN-ID/decision", headers=h, json={"category": "x", "police_attend": True})
    assert bad_id.status_code == 422 and bad_id.json()["error"]["field"] == "path.suggestion_id"


def test_batch_and_its_limit(service):
    client, keys, _ = service
    h = _h(keys["handler"])
    r = client.post("/v1/suggestions/batch", headers=h, json={"items": [{"narrative": RISKY}, {"narrative": "Walked out of A&E."}]})
    assert r.status_code == 200 and len(r.json()["suggestions"]) == 2
    over = client.post("/v1/suggestions/batch", headers=h, json={"items": [{"narrative": "x"}] * 4})
    assert over.status_code == 422 and over.json()["error"]["code"] == "batch_too_large"
    one_bad = client.post("/v1/suggestions/batch", headers=h, json={"items": [{"narrative": RISKY}, {"narrative": "  "}]})
    assert one_bad.status_code == 422 and one_bad.json()["error"]["field"] == "items.1.narrative"


@pytest.mark.parametrize("kwargs,status,code", [
    ({"json": {"narrative": "   "}}, 422, "narrative_empty"),
    ({"json": {"narrative": "x" * 2001}}, 422, "narrative_too_long"),
    ({"json": {"narrative": "ok", "subject": {"age_band": "ancient"}}}, 422, "invalid_request"),
    ({"json": {"narrative": "ok", "extra": 1}}, 422, "invalid_request"),
    ({"json": {}}, 422, "invalid_request"),
    ({"content": b'{"narrative": "unterminated', "headers": {"Content-Type": "application/json"}}, 400, "malformed_json"),
    ({"content": b'{"narrative": "\xff\xfe bad"}', "headers": {"Content-Type": "application/json"}}, 400, "invalid_utf8"),
    ({"content": b"narrative=hello", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415,
     "unsupported_media_type"),
    ({"content": b'{"narrative": "' + b"a" * 60_000 + b'"}', "headers": {"Content-Type": "application/json"}}, 413,
     "body_too_large"),
])
def test_bad_input_gets_a_coded_error_naming_the_problem(service, kwargs, status, code):
    client, keys, _ = service
    headers = {**_h(keys["handler"]), **kwargs.pop("headers", {})}
    r = client.post("/v1/suggestions", headers=headers, **kwargs)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and error["message"] and error["request_id"] == r.headers["x-request-id"]


ENDPOINTS = [
    ("POST", "/v1/suggestions", {"narrative": "Walked out of the ward."}, {"handler"}),
    ("POST", "/v1/suggestions/batch", {"items": [{"narrative": "Walked out of the ward."}]}, {"handler"}),
    ("POST", "/v1/suggestions/" + "a" * 32 + "/decision", {"category": "conveyance", "police_attend": False}, {"handler"}),
    ("GET", "/v1/model", None, set(ROLES)),
    ("POST", "/v1/model/refresh", None, {"admin"}),
    ("POST", "/v1/model/promote", {"version": "999"}, {"admin"}),
    ("GET", "/v1/keys", None, {"admin"}),
    ("POST", "/v1/keys", {"role": "analyst"}, {"admin"}),
    ("DELETE", "/v1/keys/999", None, {"admin"}),
    ("GET", "/metrics", None, {"governance", "admin"}),
    ("GET", "/v1/audit/disputed", None, {"analyst", "governance"}),
    ("GET", "/v1/reports/overrides", None, {"governance"}),
    ("GET", "/v1/reports/demand", None, {"governance"}),
]


def test_every_role_on_every_endpoint(service):
    """401 without a key or with a wrong one, 403 with another role's key, through with the right one."""
    client, keys, _ = service
    for method, path, body, allowed in ENDPOINTS:
        assert client.request(method, path, json=body).status_code == 401, path
        assert client.request(method, path, json=body, headers=_h("rcrp_not-a-real-key")).status_code == 401, path
        for role, key in keys.items():
            status = client.request(method, path, json=body, headers=_h(key)).status_code
            if role in allowed:
                assert status not in (401, 403), (path, role, status)
            else:
                assert status == 403, (path, role, status)
    assert client.get("/health").status_code == 200 and client.get("/ready").status_code == 200


def test_keys_are_hashed_and_revocable(service, tmp_path):
    client, keys, _ = service
    made = client.post("/v1/keys", json={"role": "analyst", "label": "night shift"}, headers=_h(keys["admin"]))
    assert made.status_code == 201
    key, key_id = made.json()["key"], made.json()["id"]
    with sqlite3.connect(tmp_path / "audit" / "audit.db") as db:
        hashes = [h for (h,) in db.execute("SELECT key_hash FROM api_keys")]
    assert key not in hashes and all(len(h) == 64 for h in hashes)
    assert client.get("/v1/model", headers=_h(key)).status_code == 200
    assert client.delete(f"/v1/keys/{key_id}", headers=_h(keys["admin"])).status_code == 204
    assert client.get("/v1/model", headers=_h(key)).status_code == 401
    listed = client.get("/v1/keys", headers=_h(keys["admin"])).json()
    assert all("key" not in k or k["key"] is None for k in listed) and any(k["revoked"] for k in listed)


def test_model_endpoint_says_which_model_is_live(service):
    client, keys, _ = service
    body = client.get("/v1/model", headers=_h(keys["governance"])).json()
    assert body["threshold"] == 0.3 and body["metrics"]["flag_recall"] == 0.98
    assert body["categories"] == list(TAX.category_names) and "SYNTHETIC" in body["data_notice"]


def test_without_a_model_the_service_starts_says_why_and_never_answers_for_one(tmp_path):
    app = create_app(_settings(tmp_path, str(tmp_path / "no-such-model")))
    key = KeyRing(app.state.audit.engine).create("handler")[1]
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/health").status_code == 200
        ready = client.get("/ready")
        assert ready.status_code == 503 and ready.json()["ready"] is False and "no suggestion" in ready.json()["reason"]
        r = client.post("/v1/suggestions", json={"narrative": RISKY}, headers=_h(key))
        assert r.status_code == 503
        assert r.json()["error"] == {"code": "model_unavailable", "request_id": r.headers["x-request-id"],
                                     "message": "No model could be loaded; no suggestion is available and standard "
                                                "procedure applies."}
        assert "category" not in r.text and "police_response_required" not in r.text


def test_no_error_or_log_line_carries_narrative_text(service, caplog):
    client, keys, app = service
    h = _h(keys["handler"])
    caplog.set_level(logging.DEBUG)
    texts = [
        client.post("/v1/suggestions", headers=h, json={"narrative": SENTINEL + " walked out of the ward"}).text,
        client.post("/v1/suggestions", headers=h, json={"narrative": SENTINEL * 200}).text,
        client.post("/v1/suggestions", headers=h, json={"narrative": SENTINEL, "subject": {"sex": SENTINEL}}).text,
        client.post("/v1/suggestions", headers=h, json={"narrative": 5, "call_ref": SENTINEL}).text,
        client.post("/v1/suggestions", headers={**h, "Content-Type": "application/json"},
                    content=('{"narrative": "' + SENTINEL).encode()).text,
        client.post("/v1/suggestions/batch", headers=h, json={"items": [{"narrative": SENTINEL}] * 9}).text,
    ]
    for text in texts:
        assert "Sentinelname" not in text and "Traceback" not in text, text
    assert "Sentinelname" not in caplog.text


def test_metrics_count_requests_latency_and_the_suggestion_mix(service):
    client, keys, _ = service
    client.post("/v1/suggestions", json={"narrative": RISKY}, headers=_h(keys["handler"]))
    client.post("/v1/suggestions", json={"narrative": " "}, headers=_h(keys["handler"]))
    text = client.get("/metrics", headers=_h(keys["governance"])).text
    assert 'rcrp_requests_total{method="POST",route="/v1/suggestions",status="200"} 1' in text
    assert 'rcrp_requests_total{method="POST",route="/v1/suggestions",status="422"} 1' in text
    assert 'rcrp_request_seconds_count{method="POST",route="/v1/suggestions"} 2' in text
    assert 'flag_raised="true"' in text and "rcrp_suggestions_total{" in text
    assert client.get("/metrics", headers=_h(keys["handler"])).status_code == 403


def test_governance_exports_disputed_calls_override_rates_and_demand(service):
    client, keys, _ = service
    h = _h(keys["handler"])
    made = []
    for narrative, subject in [(RISKY, {"sex": "male", "age_band": "adult"}), ("Walked out of A&E before triage.", {"sex": "female"}),
                               ("Patient needs transport to hospital, no risk.", {})]:
        made.append(client.post("/v1/suggestions", headers=h, json={"narrative": narrative, "subject": subject}).json())
    # The first is overridden (police not sent), the second agreed, the third left undecided.
    client.post(f"/v1/suggestions/{made[0]['suggestion_id']}/decision", headers=h,
                json={"category": "concern_for_welfare", "police_attend": False, "reason": "Ambulance attending"})
    client.post(f"/v1/suggestions/{made[1]['suggestion_id']}/decision", headers=h,
                json={"category": made[1]["category"], "police_attend": made[1]["police_response_required"]})
    gov, analyst = _h(keys["governance"]), _h(keys["analyst"])

    disputed = client.get("/v1/audit/disputed", headers=analyst).json()
    assert [r["suggestion_id"] for r in disputed["rows"]] == [made[0]["suggestion_id"]]
    assert not any(k.startswith("subject_") for k in disputed["rows"][0])  # analysts label without them
    assert client.get("/v1/audit/disputed", headers=gov).json()["rows"][0]["subject_sex"] == "male"
    csv_text = client.get("/v1/audit/disputed", headers=gov, params={"format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("suggestion_id,") and len(csv_text.splitlines()) == 2

    rates = {(r["grouping"], r["group"]): r for r in client.get("/v1/reports/overrides", headers=gov).json()["rows"]}
    assert (rates[("all", "all")]["decided"], rates[("all", "all")]["overridden"]) == (2, 1)
    assert rates[("sex", "male")]["override_rate"] == 1.0 and rates[("sex", "female")]["override_rate"] == 0.0
    assert 0 < rates[("all", "all")]["ci_low"] < 0.5 < rates[("all", "all")]["ci_high"] < 1
    assert rates[("ethnicity", "not_stated")]["decided"] == 2  # not given counts as the attribute's unknown value

    demand = {r["category"]: r for r in client.get("/v1/reports/demand", headers=gov).json()["rows"]}
    assert demand["all"]["calls"] == 2 and demand["not_yet_decided"]["calls"] == 1
    assert demand["concern_for_welfare"]["routed_to_partner"] >= 1

    future = client.get("/v1/reports/demand", headers=gov, params={"start": "2100-01-01T00:00:00"}).json()
    assert future["rows"][0]["calls"] == 0
    bad = client.get("/v1/reports/demand", headers=gov, params={"start": "2026-02-01", "end": "2026-01-01"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "end"
    assert client.get("/v1/reports/demand", headers=analyst).status_code == 403


def test_an_unreachable_registry_does_not_stop_the_service_starting(tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")  # MLflow's own retries would take minutes
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    settings = ServingSettings(data_dir=tmp_path, model_uri="models:/rcrp-triage@champion", model_refresh_seconds=0,
                               mlflow_tracking_uri="http://127.0.0.1:9/")  # nothing listens on port 9
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        ready = client.get("/ready")
        assert ready.status_code == 503 and "standard procedure applies" in ready.json()["reason"]
        assert client.get("/health").status_code == 200


def test_concurrent_requests_are_batched_but_each_gets_its_own_answer(tmp_path, model_dir, loopback_server):
    import threading

    import httpx

    app = create_app(_settings(tmp_path, str(model_dir)))
    key = KeyRing(app.state.audit.engine).create("handler")[1]
    narratives = [RISKY, "Patient walked out of A&E before triage.", "Conveyance needed to the place of safety, calm."]
    answers: dict[str, dict] = {}

    def client(n: int, base: str) -> None:
        with httpx.Client(base_url=base, headers=_h(key), timeout=30) as http:
            for k in range(5):
                ref = f"T{n}-{k}"
                r = http.post("/v1/suggestions", json={"narrative": narratives[(n + k) % 3], "call_ref": ref})
                answers[ref] = {"status": r.status_code, **r.json()}

    with loopback_server(app) as base:
        threads = [threading.Thread(target=client, args=(n, base)) for n in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        alone = {n: httpx.post(base + "/v1/suggestions", headers=_h(key), json={"narrative": n}).json()
                 for n in narratives}
    assert len(answers) == 60 and all(a["status"] == 200 and a["call_ref"] == ref for ref, a in answers.items())
    for ref, a in answers.items():
        n, k = (int(x) for x in ref[1:].split("-"))
        expected = alone[narratives[(n + k) % 3]]
        assert (a["category"], a["police_response_score"]) == (expected["category"], expected["police_response_score"])
    assert app.state.audit.count("suggestions") == 63


def test_the_batcher_survives_a_cancelled_request_and_a_failing_batch(tmp_path, model_dir):
    from rcrp.serving.batcher import SuggestionBatcher
    from rcrp.serving.live_model import LiveModel

    app = create_app(_settings(tmp_path, str(model_dir)), load_model=False)
    live = LiveModel(str(model_dir), app.state.settings)
    batcher = SuggestionBatcher(live, app.state.audit)
    try:
        no_model = batcher.submit(["x"], [None], [{}], role="handler", key_id=None)
        with pytest.raises(Exception, match="503"):
            no_model.result(timeout=10)  # no model loaded: an error, never an answer
        live.load()
        gone = batcher.submit(["walked out"], [None], [{}], role="handler", key_id=None)
        gone.cancel()  # the client went away before the batch was scored
        kept = batcher.submit(["walked out of A&E"], [None], [{}], role="handler", key_id=None)
        loaded, [suggestion] = kept.result(timeout=30)
        assert batcher.running and loaded.label.startswith("local:") and suggestion["category"] in TAX.category_names
    finally:
        batcher.close()


def test_a_failed_audit_commit_acknowledges_nothing_and_the_next_batch_is_served(tmp_path, model_dir):
    """The commit thread answers a request only after its audit row is committed. When the commit fails
    (here: a store whose disk is full, injected), every request of that commit gets the error, none an answer."""
    from rcrp.serving.audit import AuditStore
    from rcrp.serving.batcher import SuggestionBatcher
    from rcrp.serving.live_model import LiveModel

    class DiskFullOnce(AuditStore):
        failed = False

        def add_suggestions(self, records):
            if not self.failed:
                self.failed = True
                raise OSError("no space left on device")
            return super().add_suggestions(records)

    store = DiskFullOnce(f"sqlite:///{tmp_path / 'audit.db'}")
    live = LiveModel(str(model_dir), _settings(tmp_path, str(model_dir)))
    live.load()
    batcher = SuggestionBatcher(live, store)
    try:
        lost = batcher.submit(["walked out of A&E"], [None], [{}], role="handler", key_id=None)
        with pytest.raises(OSError, match="no space"):
            lost.result(timeout=30)
        kept = batcher.submit(["walked out of A&E"], ["CAD-2"], [{}], role="handler", key_id=None)
        _, [suggestion] = kept.result(timeout=30)
        assert batcher.running and store.count("suggestions") == 1
        assert store.suggestion(suggestion["id"])["call_ref"] == "CAD-2"
    finally:
        batcher.close()
    assert not batcher.running
