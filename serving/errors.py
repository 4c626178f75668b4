"""API errors: a stable code, a constant message and the request id; never narrative text or a traceback.

FastAPI's own validation errors echo the offending input (a narrative); they are replaced here by the
field's location and the kind of problem only.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rcrp.models.errors import RcrpError

__all__ = ["ApiCode", "ApiError", "install_error_handlers", "error_body"]

log = logging.getLogger("rcrp.serving")


class ApiCode(StrEnum):
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INVALID_REQUEST = "invalid_request"
    MALFORMED_JSON = "malformed_json"
    INVALID_UTF8 = "invalid_utf8"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    BODY_TOO_LARGE = "body_too_large"
    NARRATIVE_EMPTY = "narrative_empty"
    NARRATIVE_TOO_LONG = "narrative_too_long"
    BATCH_TOO_LARGE = "batch_too_large"
    DECISION_EXISTS = "decision_exists"
    MODEL_UNAVAILABLE = "model_unavailable"
    PROMOTION_REFUSED = "promotion_refused"
    INTERNAL = "internal_error"


MESSAGES: dict[ApiCode, str] = {
    ApiCode.UNAUTHENTICATED: "An API key is required (header X-API-Key).",
    ApiCode.FORBIDDEN: "This API key's role may not use this endpoint.",
    ApiCode.NOT_FOUND: "Not found.",
    ApiCode.METHOD_NOT_ALLOWED: "Method not allowed.",
    ApiCode.INVALID_REQUEST: "The request is not valid.",
    ApiCode.MALFORMED_JSON: "The request body is not valid JSON.",
    ApiCode.INVALID_UTF8: "The request body is not valid UTF-8.",
    ApiCode.UNSUPPORTED_MEDIA_TYPE: "The request body must be application/json.",
    ApiCode.BODY_TOO_LARGE: "The request body is larger than the configured limit.",
    ApiCode.NARRATIVE_EMPTY: "The narrative is empty or only whitespace.",
    ApiCode.NARRATIVE_TOO_LONG: "The narrative is longer than the configured limit.",
    ApiCode.BATCH_TOO_LARGE: "The batch has more narratives than the configured limit.",
    ApiCode.DECISION_EXISTS: "A decision is already recorded for this suggestion.",
    ApiCode.MODEL_UNAVAILABLE: "No model could be loaded; no suggestion is available and standard procedure applies.",
    ApiCode.PROMOTION_REFUSED: "The model version did not pass the promotion gate.",
    ApiCode.INTERNAL: "Something went wrong; no suggestion is available and standard procedure applies.",
}


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message", "request_id", "field"?, "detail"?}}``."""

    def __init__(self, status: int, code: ApiCode, *, field: str | None = None, detail: str | None = None) -> None:
        self.status, self.code, self.field, self.detail = status, ApiCode(code), field, detail
        super().__init__(f"{status} {code}")


def error_body(request: Request, code: ApiCode, *, field: str | None = None, detail: str | None = None) -> dict:
    error = {"code": str(code), "message": MESSAGES[code], "request_id": getattr(request.state, "request_id", None)}
    if field:
        error["field"] = field
    if detail:
        error["detail"] = detail
    return {"error": error}


def _respond(request: Request, status: int, code: ApiCode, **extra) -> JSONResponse:
    headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
    return JSONResponse(error_body(request, code, **extra), status_code=status, headers=headers)


_HTTP_CODES = {401: ApiCode.UNAUTHENTICATED, 403: ApiCode.FORBIDDEN, 404: ApiCode.NOT_FOUND,
               405: ApiCode.METHOD_NOT_ALLOWED, 413: ApiCode.BODY_TOO_LARGE, 415: ApiCode.UNSUPPORTED_MEDIA_TYPE}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _respond(request, exc.status, exc.code, field=exc.field, detail=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        kind = str(first.get("type", ""))
        if kind == "json_invalid":
            return _respond(request, 400, ApiCode.MALFORMED_JSON)
        # The location and the kind of problem only: pydantic's message and "input" may quote the narrative.
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or None
        return _respond(request, 422, ApiCode.INVALID_REQUEST, field=field, detail=kind or None)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _respond(request, exc.status_code, _HTTP_CODES.get(exc.status_code, ApiCode.INVALID_REQUEST))

    @app.exception_handler(RcrpError)
    async def _rcrp(request: Request, exc: RcrpError) -> JSONResponse:
        log.warning("request %s failed: %s", getattr(request.state, "request_id", "-"), exc.code)
        return _respond(request, 503, ApiCode.MODEL_UNAVAILABLE)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The exception's type only: its message or traceback could carry request text.
        log.error("request %s failed: %s", getattr(request.state, "request_id", "-"), type(exc).__name__)
        return _respond(request, 500, ApiCode.INTERNAL)
