"""``/v1/suggestions``: advice for handlers, and the decisions they record (handler role)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Path as PathParam, Request
from fastapi.responses import Response

from rcrp.models.suggestion import ADVISORY_NOTICE
from rcrp.serving.audit import DecisionRecord, DuplicateDecision
from rcrp.serving.batcher import suggestion_batcher
from rcrp.serving.deps import AuditDep, Caller, SettingsDep, require_role
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.live_model import Loaded
from rcrp.serving.schemas import (BatchOut, BatchRequest, DecisionOut, DecisionRequest, ModelInfo, SuggestionOut,
                                  SuggestionRequest)

router = APIRouter(prefix="/v1/suggestions", tags=["suggestions"])
Handler = Annotated[Caller, Depends(require_role("handler"))]
_ID = PathParam(pattern=r"^[0-9a-f]{32}$", description="The suggestion id returned with the suggestion.")


def model_info(loaded: Loaded) -> ModelInfo:
    """Name, version and alias of a loaded model ("rcrp-triage/3@champion" or "local:DIR")."""
    name, _, rest = loaded.label.partition("/")
    if not rest:
        return ModelInfo(name=loaded.label, version=loaded.label, alias=None)
    return ModelInfo(name=name, version=rest.split("@")[0], alias=loaded.alias)


def _checked(request: Request, items: list[SuggestionRequest], settings) -> None:
    """Refuse the whole request, naming the field, before anything is scored or stored."""
    taxonomy = request.app.state.taxonomy
    prefix = "items." if len(items) > 1 or request.scope["path"].endswith("/batch") else ""
    for i, item in enumerate(items):
        where = f"{prefix}{i}." if prefix else ""
        if not item.narrative.strip():
            raise ApiError(422, ApiCode.NARRATIVE_EMPTY, field=f"{where}narrative")
        if len(item.narrative) > settings.max_narrative_chars:
            raise ApiError(422, ApiCode.NARRATIVE_TOO_LONG, field=f"{where}narrative",
                           detail=f"limit {settings.max_narrative_chars} characters")
        for name, value in item.subject.items():
            if name not in taxonomy.attribute_names:
                raise ApiError(422, ApiCode.INVALID_REQUEST, field=f"{where}subject.{name}", detail="unknown attribute")
            if value not in taxonomy.attribute(name).values:
                raise ApiError(422, ApiCode.INVALID_REQUEST, field=f"{where}subject.{name}",
                               detail="value not allowed by the taxonomy")


async def _suggest(request: Request, items: list[SuggestionRequest], settings, caller: Caller) -> list[dict]:
    """The ``SuggestionOut`` of each item, as dicts. Built here from the model's own fields rather than
    validated again as models: this is the service's hot path, and the shapes are tested against the schema."""
    _checked(request, items, settings)
    batcher = suggestion_batcher(request.app)
    future = batcher.submit([i.narrative for i in items], [i.call_ref for i in items], [dict(i.subject) for i in items],
                            role=caller.role, key_id=caller.key_id)
    loaded, suggestions = await asyncio.wrap_future(future)  # answered once the audit rows are committed
    metrics = request.app.state.metrics
    info = model_info(loaded).model_dump()
    out = []
    for s, item in zip(suggestions, items):
        metrics.observe_suggestion(s["category"], s["police_response_required"], s["uncertain"])
        out.append({"suggestion_id": s["id"], "call_ref": item.call_ref, "category": s["category"],
                    "category_scores": s["category_scores"], "police_response_required": s["police_response_required"],
                    "police_response_score": s["police_response_score"], "threshold": s["threshold"],
                    "uncertain": s["uncertain"], "reasons": s["reasons"], "model": info,
                    "advisory_notice": ADVISORY_NOTICE})
    return out


def _json(payload: dict) -> Response:
    return Response(orjson.dumps(payload), media_type="application/json")


@router.post("", response_model=SuggestionOut, summary="Advice for one call")
async def suggest_one(request: Request, body: SuggestionRequest, settings: SettingsDep, caller: Handler):
    """The suggested category with scores, the police-response flag with its score and threshold, whether the
    model is uncertain, the reasons, the model, and the advisory notice. Recorded in the audit trail before
    it is returned. 503 when no model is loaded: standard procedure applies."""
    return _json((await _suggest(request, [body], settings, caller))[0])


@router.post("/batch", response_model=BatchOut, summary="Advice for several calls")
async def suggest_batch(request: Request, body: BatchRequest, settings: SettingsDep, caller: Handler):
    if len(body.items) > settings.max_batch:
        raise ApiError(422, ApiCode.BATCH_TOO_LARGE, field="items", detail=f"limit {settings.max_batch}")
    return _json({"suggestions": await _suggest(request, body.items, settings, caller)})


@router.post("/{suggestion_id}/decision", response_model=DecisionOut, summary="Record the handler's decision")
def decide(request: Request, body: DecisionRequest, audit: AuditDep, caller: Handler,
           suggestion_id: Annotated[str, _ID]) -> DecisionOut:
    """What the handler decided. A decision that differs from the suggestion (category, or whether police
    attend) marks the call as disputed, for analysts to review."""
    taxonomy = request.app.state.taxonomy
    if body.category not in taxonomy.category_names:
        raise ApiError(422, ApiCode.INVALID_REQUEST, field="category", detail="not a category of the taxonomy")
    shown = audit.suggestion(suggestion_id)
    if shown is None:
        raise ApiError(404, ApiCode.NOT_FOUND, field="suggestion_id")
    reason = None
    if body.reason and body.reason.strip():
        from rcrp.models.redaction import redact_narrative

        reason = redact_narrative(body.reason)
    disputed = body.category != shown["category"] or body.police_attend != shown["police_response_required"]
    try:
        at = audit.add_decision(DecisionRecord(suggestion_id=suggestion_id, category=body.category,
                                               police_attend=body.police_attend, reason_redacted=reason,
                                               disputed=disputed, role=caller.role, key_id=caller.key_id))
    except DuplicateDecision:
        raise ApiError(409, ApiCode.DECISION_EXISTS, field="suggestion_id") from None
    return DecisionOut(suggestion_id=suggestion_id, disputed=disputed, decided_at=at.isoformat())
