"""The suggestion service: ``create_app(settings)`` builds it; ``rcrp serve`` runs it with uvicorn.

Everything is built in the factory (settings, audit store, keys, the live model), nothing at import time.
"""

from __future__ import annotations

import inspect
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from rcrp.serving.api_keys import KeyRing
from rcrp.serving.audit import AuditStore
from rcrp.serving.errors import install_error_handlers
from rcrp.serving.guard_middleware import RequestGuard
from rcrp.serving.live_model import LiveModel
from rcrp.serving.metrics import ServiceMetrics
from rcrp.serving.routes import audit as audit_routes, keys, status, suggestions
from rcrp.serving.settings import ServingSettings

__all__ = ["create_app", "app_from_environment"]

DESCRIPTION = ("Advisory RCRP triage suggestions for call handlers. The service never decides: every suggestion "
               "is advice, uncertainty is never turned into 'no police needed', and when no model is available "
               "it says so and standard procedure applies. Only redacted narratives are stored.")


# FastAPI's built-in OpenTelemetry records exception messages and can export them when the environment asks
# (FASTAPI_OTEL_AUTO_CONFIGURE): an exception message may quote a narrative, so it is off, whatever the
# environment says. It also adds work to every request. Older FastAPI releases have no such option.
_NO_TELEMETRY = ({"telemetry": {"tracing": False, "metrics": False, "logs": False, "operation_spans": False,
                                "auto_configure": False}}
                 if "telemetry" in inspect.signature(FastAPI.__init__).parameters else {})


def create_app(settings: ServingSettings | None = None, *, load_model: bool = True) -> FastAPI:
    """The FastAPI app. ``load_model=False`` starts without trying the registry (tests of the no-model path)."""
    settings = settings or ServingSettings()
    audit = AuditStore(settings.audit_database_url())
    live = LiveModel(settings.model_uri, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if load_model:
            live.load()
            live.start_refresh(settings.model_refresh_seconds)
        yield
        live.stop()
        if app.state.batcher is not None:
            app.state.batcher.close()
            app.state.batcher = None

    app = FastAPI(title="rcrp-triage suggestions", version="1", description=DESCRIPTION, lifespan=lifespan,
                  **_NO_TELEMETRY)
    app.state.settings = settings
    app.state.taxonomy = settings.taxonomy()
    app.state.audit = audit
    app.state.keys = KeyRing(audit.engine)
    app.state.live_model = live
    app.state.metrics = ServiceMetrics()
    app.state.batcher = None  # started on the first suggestion request (``batcher.suggestion_batcher``)
    install_error_handlers(app)
    for router in (suggestions.router, status.router, keys.router, audit_routes.router):
        app.include_router(router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def handler_page() -> HTMLResponse:
        page = resources.files("rcrp.serving").joinpath("page/handler.html").read_text(encoding="utf-8")
        return HTMLResponse(page)

    app.add_middleware(RequestGuard, max_body_bytes=settings.max_body_bytes, metrics=app.state.metrics)
    return app


def app_from_environment() -> FastAPI:
    """``create_app`` with settings from the environment: what each worker process of ``rcrp serve
    --workers N`` runs (uvicorn imports it by name in every worker)."""
    return create_app(ServingSettings())
