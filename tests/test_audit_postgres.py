"""The audit store on a real PostgreSQL server (Debian's, on loopback): the same guarantees as on SQLite.

History cannot be rewritten (UPDATE, DELETE and TRUNCATE are refused by the database itself), a decision is
recorded once, only redacted text is stored, and the service runs unchanged with ``RCRP_AUDIT_URL`` pointing
at PostgreSQL.
"""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from rcrp.serving.api_keys import ROLES, KeyRing
from rcrp.serving.app import create_app
from rcrp.serving.audit import AuditStore, DecisionRecord, DuplicateDecision, SuggestionRecord
from rcrp.serving.settings import ServingSettings

RISKY = "Caller says her son is on the railway bridge parapet threatening to jump, he has a knife."


@pytest.fixture()
def pg_db(postgres_url):
    """A fresh, empty database on the session's server, so tests do not see each other's rows."""
    name = f"audit_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


def _suggestion(i: int, **extra) -> SuggestionRecord:
    fields = dict(id=f"s{i:04d}", call_ref=f"CAD-{i}", narrative_redacted=f"[PERSON] is on the bridge ({i})",
                  model_version="m:1", category="concern_for_welfare", category_scores={"concern_for_welfare": 0.9},
                  police_response_required=True, police_response_score=0.8, threshold=0.3, uncertain=False,
                  reasons=[{"kind": "safety_rule", "text": "on a bridge"}], subject={"sex": "female"},
                  role="handler", key_id=None)
    return SuggestionRecord(**{**fields, **extra})


def test_rows_round_trip_and_a_decision_is_recorded_once(pg_db):
    store = AuditStore(pg_db)
    assert store.engine.dialect.name == "postgresql"
    store.add_suggestions([_suggestion(1), _suggestion(2, category="walkout")])
    decided_at = store.add_decision(DecisionRecord("s0001", "walkout", False, "[PERSON] is safe", True, "handler", None))
    with pytest.raises(DuplicateDecision):
        store.add_decision(DecisionRecord("s0001", "concern_for_welfare", True, None, False, "handler", None))
    calls = store.calls()
    assert [c["id"] for c in calls] == ["s0001", "s0002"]
    first = calls[0]
    assert first["category_scores"] == {"concern_for_welfare": 0.9} and first["subject"] == {"sex": "female"}
    assert first["decided_category"] == "walkout" and first["disputed"] is True and first["police_attend"] is False
    assert first["created_at"].endswith("+00:00") and decided_at.tzinfo is not None
    assert calls[1]["decided_at"] is None
    assert [c["id"] for c in store.calls(disputed_only=True)] == ["s0001"]
    assert store.count("suggestions") == 2 and store.count("decisions") == 1


@pytest.mark.parametrize("statement", [
    "UPDATE suggestions SET category = 'walkout'",
    "DELETE FROM suggestions",
    "TRUNCATE suggestions CASCADE",
    "UPDATE decisions SET disputed = false",
    "DELETE FROM decisions",
    "TRUNCATE decisions",
])
def test_the_database_refuses_to_rewrite_history(pg_db, statement):
    store = AuditStore(pg_db)
    store.add_suggestions([_suggestion(1)])
    store.add_decision(DecisionRecord("s0001", "walkout", False, None, True, "handler", None))
    with pytest.raises(DBAPIError, match="append-only"):
        with store.engine.begin() as conn:
            conn.execute(text(statement))
    # A second store on the same database (a restart) re-applies its set-up without harm; the rows are intact.
    again = AuditStore(pg_db)
    assert again.count("suggestions") == 1 and again.count("decisions") == 1
    assert again.calls()[0]["category"] == "concern_for_welfare" and again.calls()[0]["disputed"] is True


def test_the_service_runs_on_postgresql(pg_db, model_dir, tmp_path):
    app = create_app(ServingSettings(data_dir=tmp_path, model_uri=str(model_dir), model_refresh_seconds=0,
                                     audit_url=pg_db))
    ring = KeyRing(app.state.audit.engine)
    keys = {role: ring.create(role, f"test {role}")[1] for role in ROLES}
    with TestClient(app, raise_server_exceptions=False) as client:
        s = client.post("/v1/suggestions", headers={"X-API-Key": keys["handler"]},
                        json={"narrative": "Mr Jaworski on 07700 900123 says " + RISKY, "call_ref": "CAD-9"}).json()
        assert s["police_response_required"] is True
        other = next(c for c in s["category_scores"] if c != s["category"])
        r = client.post(f"/v1/suggestions/{s['suggestion_id']}/decision", headers={"X-API-Key": keys["handler"]},
                        json={"category": other, "police_attend": False, "reason": "Mr Jaworski is safe"})
        assert r.status_code == 200 and r.json()["disputed"] is True
        disputed = client.get("/v1/audit/disputed", headers={"X-API-Key": keys["analyst"]}).json()
        assert [c["suggestion_id"] for c in disputed["rows"]] == [s["suggestion_id"]]
        report = client.get("/v1/reports/demand?format=csv", headers={"X-API-Key": keys["governance"]})
        assert report.status_code == 200 and s["category"] in report.text
        # Revoking a key is an update of the key table, which is not append-only.
        key_id = ring.create("analyst", "to revoke")[0]
        assert client.delete(f"/v1/keys/{key_id}", headers={"X-API-Key": keys["admin"]}).status_code == 204
    with create_engine(pg_db).connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM suggestions")).all() for v in row)
        stored += " ".join(str(v) for row in conn.execute(text("SELECT * FROM decisions")).all() for v in row)
    assert "railway bridge" in stored and "Jaworski" not in stored and "07700 900123" not in stored


def test_worker_processes_starting_together_set_up_the_store_without_a_race(pg_db):
    """Every worker of ``rcrp serve --workers N`` builds its store at start; they must not trip over each
    other's CREATE OR REPLACE (PostgreSQL answers 'tuple concurrently updated' without a lock)."""
    import subprocess
    import sys

    code = f"from rcrp.serving.audit import AuditStore; AuditStore({pg_db!r})"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(6)]
    failures = [p.stderr.read() for p in procs if p.wait(timeout=120) != 0]
    assert not failures, failures[0]


@pytest.mark.parametrize("url,expected", [("mysql://u@h/db", "mysql is not supported"),
                                          ("not a url", "not a database URL")])
def test_an_unsupported_audit_url_is_a_clear_error(url, expected):
    from rcrp.models.errors import RcrpError

    with pytest.raises(RcrpError, match=expected) as err:
        AuditStore(url)
    assert "RCRP_AUDIT_URL" in str(err.value)
