"""Governance and analyst exports: ``/v1/audit/disputed``, ``/v1/reports/overrides``, ``/v1/reports/demand``.

Each takes an optional date range (``start`` inclusive, ``end`` exclusive, ISO 8601) and ``format`` (json or
csv). Figures come from handler decisions recorded through this service.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from rcrp.serving.deps import AuditDep, Caller, require_role
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.reports import as_csv, demand_figures, disputed_calls, override_rates

router = APIRouter(tags=["audit"])
Reviewer = Annotated[Caller, Depends(require_role("analyst", "governance"))]
Governance = Annotated[Caller, Depends(require_role("governance"))]
Start = Annotated[datetime | None, Query(description="From this time (inclusive), ISO 8601.")]
End = Annotated[datetime | None, Query(description="Until this time (exclusive), ISO 8601.")]
Format = Annotated[Literal["json", "csv"], Query(description="json or csv.")]
NOTICE = "Figures from handler decisions recorded by this service; the model was trained on SYNTHETIC data."


def _range(start: datetime | None, end: datetime | None) -> tuple[datetime | None, datetime | None]:
    start, end = (t if t is None or t.tzinfo else t.replace(tzinfo=timezone.utc) for t in (start, end))
    if start and end and end <= start:
        raise ApiError(422, ApiCode.INVALID_REQUEST, field="end", detail="end must be after start")
    return start, end


def _answer(rows: list[dict], fmt: str, name: str, start, end):
    if fmt == "csv":
        return PlainTextResponse(as_csv(rows), media_type="text/csv",
                                 headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return JSONResponse({"start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
                         "notice": NOTICE, "rows": rows})


@router.get("/v1/audit/disputed", summary="Calls where the handler's decision differed from the suggestion")
def disputed(audit: AuditDep, caller: Reviewer, start: Start = None, end: End = None, format: Format = "json"):
    start, end = _range(start, end)
    rows = disputed_calls(audit.calls(start, end, disputed_only=True), with_subject=caller.role == "governance")
    return _answer(rows, format, "disputed_calls", start, end)


@router.get("/v1/reports/overrides", summary="Override rates by category and subject group, with intervals")
def overrides(request: Request, audit: AuditDep, caller: Governance, start: Start = None, end: End = None,
              format: Format = "json"):
    start, end = _range(start, end)
    return _answer(override_rates(audit.calls(start, end), request.app.state.taxonomy), format, "override_rates",
                   start, end)


@router.get("/v1/reports/demand", summary="RCRP demand figures: volumes, police attendance, partner routing")
def demand(request: Request, audit: AuditDep, caller: Governance, start: Start = None, end: End = None,
           format: Format = "json"):
    start, end = _range(start, end)
    return _answer(demand_figures(audit.calls(start, end), request.app.state.taxonomy), format, "rcrp_demand",
                   start, end)
