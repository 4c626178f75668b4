"""Label Studio's ML-backend protocol, served from the champion model, in the project's own FastAPI code.

Label Studio calls ``GET /health``, ``POST /setup`` (answered with the model version) and ``POST /predict``
(one result per task, in order: the category and the police-response flag as pre-filled choices, with the
flag score), so analysts see live suggestions on tasks created in Label Studio directly. ``POST /webhook``
records that labels arrived (event, project, task and annotation ids, time: never text) in
``arrivals.jsonl`` and returns at once: nothing is ever trained inside a request.

The model is loaded at start; when none can be loaded the backend still answers its health check, saying
so, and ``/predict`` answers 503 rather than a made-up suggestion.
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from rcrp.labelling.interface import CATEGORY, FLAG, FLAG_NO, FLAG_YES, TEXT
from rcrp.models.errors import RcrpError

__all__ = ["create_ml_backend", "prediction_result", "read_arrivals"]


def prediction_result(suggestion: dict[str, Any]) -> dict[str, Any]:
    """One task's prediction in Label Studio's format, from a suggestion's fields."""
    return {"model_version": suggestion["model_version"], "score": suggestion["police_response_score"],
            "result": [
                {"from_name": CATEGORY, "to_name": TEXT, "type": "choices", "value": {"choices": [suggestion["category"]]}},
                {"from_name": FLAG, "to_name": TEXT, "type": "choices",
                 "value": {"choices": [FLAG_YES if suggestion["police_response_required"] else FLAG_NO]}}]}


def create_ml_backend(settings, *, model=None) -> FastAPI:
    """The backend app. ``model``: a loaded ``TriageModel`` (default: the one ``settings.model_uri`` names,
    loaded at start)."""
    arrivals = settings.data_dir.resolve() / "labelling" / "arrivals.jsonl"
    lock = threading.Lock()
    state: dict[str, Any] = {"model": model, "reason": ""}

    @asynccontextmanager
    async def lifespan(_app):
        if state["model"] is None:
            from rcrp.models.registry import load_triage_model

            try:
                state["model"] = load_triage_model(settings.model_uri, settings)
            except RcrpError as exc:
                state["reason"] = exc.message
            except Exception as exc:  # noqa: BLE001 - an unreachable registry must not stop the backend starting
                state["reason"] = f"no model could be loaded ({type(exc).__name__} from the model registry)"
        yield

    app = FastAPI(title="rcrp-triage Label Studio ML backend", lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict:
        loaded = state["model"]
        return {"status": "UP", "model_class": "rcrp-triage", "model_loaded": loaded is not None,
                **({"reason": state["reason"]} if loaded is None else {"model_version": loaded.version})}

    @app.post("/setup")
    async def setup() -> JSONResponse:
        loaded = state["model"]
        if loaded is None:
            return JSONResponse({"error": state["reason"] or "no model"}, status_code=503)
        return JSONResponse({"model_version": loaded.version})

    @app.post("/predict")
    def predict(body: dict[str, Any]) -> JSONResponse:
        loaded = state["model"]
        if loaded is None:
            return JSONResponse({"error": state["reason"] or "no model"}, status_code=503)
        tasks = body.get("tasks") or []
        if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
            return JSONResponse({"error": "tasks must be a list of task objects", "field": "tasks"}, status_code=422)
        texts = [str((t.get("data") or {}).get(TEXT) or "") if isinstance(t.get("data"), dict) else "" for t in tasks]
        if not tasks:
            return JSONResponse({"results": []})
        # Redacted again on the way in: a task made in Label Studio by hand may hold text nobody redacted.
        suggestions, _ = loaded.suggest_for_audit([str(t.get("id", i)) for i, t in enumerate(tasks)], texts,
                                                  explain_top=0)
        return JSONResponse({"results": [prediction_result(s) for s in suggestions], "model_version": loaded.version})

    @app.post("/webhook")
    async def webhook(request: Request) -> dict:
        try:
            event = await request.json()
        except ValueError:
            event = {}
        event = event if isinstance(event, dict) else {}
        action = event.get("action")
        # Only ids and a well-formed event name are kept: whatever else a payload holds never reaches the file.
        record = {"received_at": datetime.now(timezone.utc).isoformat(),
                  "action": action if isinstance(action, str) and _ACTION.fullmatch(action) else "unknown",
                  "project": _id_of(event.get("project")), "task": _id_of(event.get("task")),
                  "annotation": _id_of(event.get("annotation"))}
        with lock:
            arrivals.parent.mkdir(parents=True, exist_ok=True)
            with arrivals.open("a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        return {"status": "recorded"}

    return app


_ACTION = re.compile(r"[A-Z][A-Z_]{0,63}")


def _id_of(value: Any) -> int | None:
    """The integer id of a payload object (or a bare id); None for anything else."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_arrivals(settings) -> list[dict[str, Any]]:
    """What the webhook recorded, oldest first."""
    path = Path(settings.data_dir).resolve() / "labelling" / "arrivals.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
