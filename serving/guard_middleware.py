"""Request checks before any route runs: a request id, the body size limit, JSON content type, UTF-8.

Pure ASGI (no buffering framework): the body is read once, refused as soon as it passes the limit, and
replayed to the app unchanged. Refusals use the API's coded error format.
"""

from __future__ import annotations

import json
import time
import uuid

from rcrp.serving.errors import MESSAGES, ApiCode

__all__ = ["RequestGuard"]

_BODY_METHODS = {b"POST", b"PUT", b"PATCH"}


class RequestGuard:
    """Parameters: ``max_body_bytes``, the body limit; ``metrics``, a ``ServiceMetrics`` told every request's
    route, status and duration (None: not counted)."""

    def __init__(self, app, max_body_bytes: int, metrics=None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.metrics = metrics

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]
        try:
            await self._guarded(scope, receive, send, status)
        finally:
            if self.metrics is not None:
                route = getattr(scope.get("route"), "path", "unmatched")  # the template, never an id
                self.metrics.observe_request(scope["method"], route, status[0], time.perf_counter() - started)

    async def _guarded(self, scope, receive, send, status: list[int]) -> None:
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
                status[0] = message["status"]
            await send(message)

        if scope["method"].encode() not in _BODY_METHODS:
            await self.app(scope, receive, send_with_id)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _refuse(send_with_id, request_id, 413, ApiCode.BODY_TOO_LARGE)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _refuse(send_with_id, request_id, 413, ApiCode.BODY_TOO_LARGE)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if body and media != b"application/json":
            await _refuse(send_with_id, request_id, 415, ApiCode.UNSUPPORTED_MEDIA_TYPE)
            return
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            await _refuse(send_with_id, request_id, 400, ApiCode.INVALID_UTF8)
            return
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_id)


async def _refuse(send, request_id: str, status: int, code: ApiCode) -> None:
    payload = json.dumps({"error": {"code": str(code), "message": MESSAGES[code], "request_id": request_id}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
