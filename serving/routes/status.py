"""Liveness, readiness and the live model (``/health``, ``/ready``, ``/v1/model``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from rcrp.serving.deps import Caller, LiveModelDep, require_role
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.routes.suggestions import model_info
from rcrp.serving.schemas import ModelOut, ReadyOut

router = APIRouter(tags=["status"])
AnyRole = Annotated[Caller, Depends(require_role("handler", "analyst", "governance", "admin"))]
Admin = Annotated[Caller, Depends(require_role("admin"))]
Monitor = Annotated[Caller, Depends(require_role("governance", "admin"))]
DATA_NOTICE = ("Metrics come from validation on SYNTHETIC generated calls until the model is validated on the "
               "force's own calls.")


@router.get("/health", summary="Liveness: the process answers")
def health() -> dict:
    return {"status": "ok"}


@router.get("/ready", response_model=ReadyOut, summary="Readiness: a model is loaded",
            responses={503: {"model": ReadyOut, "description": "No model is loaded; the reason says why."}})
def ready(live: LiveModelDep):
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
