"""``/v1/suggestions``: advice for handlers, and the decisions they record (handler role)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path as PathParam, Request

from rcrp.models.suggestion import ADVISORY_NOTICE, Suggestion
from rcrp.serving.audit import DecisionRecord, DuplicateDecision, SuggestionRecord
from rcrp.serving.deps import AuditDep, Caller, LiveModelDep, SettingsDep, require_role
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.live_model import Loaded
from rcrp.serving.schemas import (BatchOut, BatchRequest, DecisionOut, DecisionRequest, ModelInfo, ReasonOut,
                                  SuggestionOut, SuggestionRequest)

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
    prefix = "items." if len(items) > 1 or request.url.path.endswith("/batch") else ""
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


def _suggest(request: Request, items: list[SuggestionRequest], settings, audit, live, caller: Caller
             ) -> list[SuggestionOut]:
    _checked(request, items, settings)
    loaded = live.current
    if loaded is None:
        raise ApiError(503, ApiCode.MODEL_UNAVAILABLE)
    model = loaded.model
    narratives = [item.narrative for item in items]
    ids = [uuid.uuid4().hex for _ in items]
    suggestions: list[Suggestion] = model.suggest(ids, narratives)
    redacted = model.redact(narratives)  # what the audit keeps: the narrative as written, redacted
    records = [SuggestionRecord(
        id=s.id, call_ref=item.call_ref, narrative_redacted=text, model_version=loaded.label, category=s.category,
        category_scores=s.category_scores, police_response_required=s.police_response_required,
        police_response_score=s.police_response_score, threshold=s.threshold, uncertain=s.uncertain,
        reasons=[r.model_dump() for r in s.reasons], subject=dict(item.subject), role=caller.role,
        key_id=caller.key_id) for s, item, text in zip(suggestions, items, redacted)]
    audit.add_suggestions(records)  # committed before anything is acknowledged
    for s in suggestions:
        request.app.state.metrics.observe_suggestion(s.category, s.police_response_required, s.uncertain)
    info = model_info(loaded)
    return [SuggestionOut(suggestion_id=s.id, call_ref=item.call_ref, category=s.category,
                          category_scores=s.category_scores, police_response_required=s.police_response_required,
                          police_response_score=s.police_response_score, threshold=s.threshold,
                          uncertain=s.uncertain, reasons=[ReasonOut(**r.model_dump()) for r in s.reasons],
                          model=info, advisory_notice=ADVISORY_NOTICE) for s, item in zip(suggestions, items)]


@router.post("", response_model=SuggestionOut, summary="Advice for one call")
def suggest_one(request: Request, body: SuggestionRequest, settings: SettingsDep, audit: AuditDep,
                live: LiveModelDep, caller: Handler) -> SuggestionOut:
    """The suggested category with scores, the police-response flag with its score and threshold, whether the
    model is uncertain, the reasons, the model, and the advisory notice. Recorded in the audit trail before
    it is returned. 503 when no model is loaded: standard procedure applies."""
    return _suggest(request, [body], settings, audit, live, caller)[0]


@router.post("/batch", response_model=BatchOut, summary="Advice for several calls")
def suggest_batch(request: Request, body: BatchRequest, settings: SettingsDep, audit: AuditDep,
                  live: LiveModelDep, caller: Handler) -> BatchOut:
    if len(body.items) > settings.max_batch:
        raise ApiError(422, ApiCode.BATCH_TOO_LARGE, field="items", detail=f"limit {settings.max_batch}")
    return BatchOut(suggestions=_suggest(request, body.items, settings, audit, live, caller))


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
