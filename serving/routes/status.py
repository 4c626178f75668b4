"""Liveness, readiness and the live model (``/health``, ``/ready``, ``/v1/model``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from rcrp.serving.deps import Caller, LiveModelDep, SettingsDep, require_role
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.routes.suggestions import model_info
from rcrp.serving.schemas import ModelOut, PromoteOut, PromoteRequest, ReadyOut

router = APIRouter(tags=["status"])
AnyRole = Annotated[Caller, Depends(require_role("handler", "analyst", "governance", "admin"))]
Admin = Annotated[Caller, Depends(require_role("admin"))]
Monitor = Annotated[Caller, Depends(require_role("governance", "admin"))]
DATA_NOTICE = ("Metrics come from validation on SYNTHETIC generated calls until the model is validated on the "
               "force's own calls.")


@router.get("/health", summary="Liveness: the process answers")
async def health() -> dict:
    return {"status": "ok"}


@router.get("/ready", response_model=ReadyOut, summary="Readiness: a model is loaded",
            responses={503: {"model": ReadyOut, "description": "No model is loaded; the reason says why."}})
async def ready(live: LiveModelDep):
    loaded = live.current
    if loaded is None:
        return JSONResponse(ReadyOut(ready=False, reason=live.reason).model_dump(), status_code=503)
    return ReadyOut(ready=True, model=model_info(loaded))


@router.get("/v1/model", response_model=ModelOut, summary="The live model, its threshold and headline metrics")
def live_model(live: LiveModelDep, caller: AnyRole) -> ModelOut:
    loaded = live.current
    if loaded is None:
        raise ApiError(503, ApiCode.MODEL_UNAVAILABLE)
    model = loaded.model
    metrics = {k: float(v) for k, v in (model.info.get("metrics") or {}).items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return ModelOut(model=model_info(loaded), threshold=model.policy.threshold,
                    target_recall=model.policy.target_recall, categories=list(model.categories),
                    flag_name=model.flag_name, metrics=metrics, data_notice=DATA_NOTICE)


@router.post("/v1/model/refresh", response_model=ReadyOut, summary="Ask the registry for a new champion now")
def refresh(live: LiveModelDep, caller: Admin) -> ReadyOut:
    live.load()
    loaded = live.current
    return ReadyOut(ready=loaded is not None, reason=live.reason or None,
                    model=model_info(loaded) if loaded else None)


@router.get("/metrics", response_class=PlainTextResponse, summary="Prometheus metrics (governance or admin key)")
def metrics(request: Request, caller: Monitor) -> PlainTextResponse:
    return PlainTextResponse(request.app.state.metrics.render(), media_type="text/plain; version=0.0.4")


@router.post("/v1/model/promote", response_model=PromoteOut, summary="Move champion to a version through the gate",
             responses={409: {"description": "The version did not pass the gate; the failing checks are named."}})
def promote(body: PromoteRequest, live: LiveModelDep, settings: SettingsDep, caller: Admin) -> PromoteOut:
    """The same gate as ``rcrp models promote`` (evaluation, fairness and counterfactual checks), run as that
    command in its own process: the service never imports the gate's code. The new champion is loaded at once."""
    import json
    import subprocess
    import sys

    args = [sys.executable, "-m", "rcrp", "models", "promote", "--json"]
    if body.version:
        args += ["--version", body.version]
    if body.override and body.override.strip():
        args += ["--override", body.override.strip()]
    env = settings_environment(settings)
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    try:
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise ApiError(500, ApiCode.INTERNAL) from None
    if not outcome.get("promoted"):
        if outcome.get("code") == "promotion_refused":
            raise ApiError(409, ApiCode.PROMOTION_REFUSED, detail=outcome.get("detail"))
        raise ApiError(404, ApiCode.NOT_FOUND, field="version", detail=outcome.get("detail"))
    live.load()
    loaded = live.current
    return PromoteOut(promoted=True, version=outcome["version"], checks=outcome["checks"],
                      overridden=outcome["overridden"], model=model_info(loaded) if loaded else None)


def settings_environment(settings) -> dict[str, str]:
    """The environment for a child ``rcrp`` command that must see the same store as this service."""
    import os

    env = dict(os.environ)
    env.update({"RCRP_DATA_DIR": str(settings.data_dir), "RCRP_MLFLOW_TRACKING_URI": settings.tracking_uri(),
                "RCRP_MLFLOW_ARTIFACT_ROOT": settings.artifact_root(), "RCRP_REGISTERED_MODEL": settings.registered_model})
    return env
