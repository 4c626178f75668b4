"""schemathesis against the service's own OpenAPI schema: no generated request gets a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from rcrp.serving.api_keys import ROLES, KeyRing
from rcrp.serving.app import create_app
from rcrp.serving.settings import ServingSettings

# The role whose key each operation is called with (other roles are covered by the role matrix test).
ROLE_FOR = {"/v1/suggestions": "handler", "/v1/audit": "analyst", "/v1/reports": "governance",
            "/metrics": "governance", "/v1/keys": "admin", "/v1/model/refresh": "admin", "/v1/model": "governance"}


# schemathesis reads the schema when the module is collected, so the app is made here; the fixture below
# gives it a model and keys before any case runs.
APP = create_app(ServingSettings(data_dir=Path(tempfile.mkdtemp(prefix="rcrp-schemathesis-")), model_uri="none",
                                 model_refresh_seconds=0, max_batch=5), load_model=False)
# Revoking keys would lock the fuzzer out, and each promotion runs the gate in a new process: both have
# their own tests.
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(method="DELETE").exclude(path="/v1/model/promote")


@pytest.fixture(scope="module")
def service(model_dir, loopback_server):
    """The app with a model and keys, served by a real uvicorn server on loopback: the generated requests go
    over HTTP, as a client's would."""
    ring = KeyRing(APP.state.audit.engine)
    keys = {role: ring.create(role)[1] for role in ROLES}
    APP.state.live_model.uri = str(model_dir)
    assert APP.state.live_model.load()
    with loopback_server(APP) as base_url:
        yield base_url, keys


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, service):
    base_url, keys = service
    role = next((r for prefix, r in sorted(ROLE_FOR.items(), key=lambda kv: -len(kv[0]))
                 if case.path.startswith(prefix)), "handler")
    # schemathesis fills the API-key header from the security scheme with made-up values: use the real key.
    case.headers = {**(case.headers or {}), "X-API-Key": keys[role]}
    response = case.call_and_validate(base_url=base_url, checks=[not_a_server_error])
    # The generated requests reach the routes: never refused for the key or its role.
    assert response.status_code not in (401, 403)
