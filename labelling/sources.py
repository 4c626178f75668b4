"""Where review tasks come from: the suggestion service's disputed calls, and the champion model's own
suggestions on a file of calls (the uncertain ones, or an active-learning batch from an unlabelled pool).

Labelling never imports the service: disputed calls come over HTTP (``/v1/audit/disputed`` with an analyst
key) or from a file of that export, as any analyst would get them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from rcrp.labelling.active_learning import select
from rcrp.labelling.push import Candidate, model_candidates
from rcrp.models.errors import ErrorCode, RcrpError

__all__ = ["read_disputed", "uncertain_from_calls", "pool_from_calls"]


def read_disputed(*, file: Path | None = None, service_url: str | None = None, analyst_key: str | None = None
                  ) -> list[dict[str, Any]]:
    """Rows of the disputed-calls export: from ``file`` (its JSON) or from the service."""
    if file is not None:
        try:
            body = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"{file}: {type(exc).__name__}") from None
        rows = body.get("rows") if isinstance(body, dict) else None
        if not isinstance(rows, list):
            raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"{file}: no 'rows' list (the /v1/audit/disputed JSON)")
        return rows
    if not service_url or not analyst_key:
        raise RcrpError(ErrorCode.DISPUTED_CALLS_UNAVAILABLE,
                        detail="set RCRP_SERVICE_URL and RCRP_ANALYST_KEY, or give --disputed-file")
    try:
        r = httpx.get(service_url.rstrip("/") + "/v1/audit/disputed", headers={"X-API-Key": analyst_key}, timeout=60)
    except httpx.HTTPError as exc:
        raise RcrpError(ErrorCode.DISPUTED_CALLS_UNAVAILABLE, detail=f"{service_url}: {type(exc).__name__}") from None
    if r.status_code != 200:
        raise RcrpError(ErrorCode.DISPUTED_CALLS_UNAVAILABLE, detail=f"{service_url}: HTTP {r.status_code}")
    try:
        rows = r.json()["rows"]
    except (ValueError, KeyError, TypeError):
        rows = None
    if not isinstance(rows, list):
        raise RcrpError(ErrorCode.DISPUTED_CALLS_UNAVAILABLE, detail=f"{service_url}: not a disputed-calls export")
    return rows


def _suggest(model, ids: list[str], narratives: list[str]) -> tuple[list[dict[str, Any]], list[str], np.ndarray]:
    suggestions, redacted = model.suggest_for_audit(ids, narratives, explain_top=0)
    proba = np.array([[s["category_scores"][c] for c in model.categories] for s in suggestions])
    return suggestions, redacted, proba


def uncertain_from_calls(model, ids: list[str], narratives: list[str], subjects: list[dict[str, str]] | None = None,
                         *, limit: int | None = None) -> list[Candidate]:
    """The calls the model marks uncertain, least confident first."""
    suggestions, redacted, proba = _suggest(model, ids, narratives)
    unsure = [i for i, s in enumerate(suggestions) if s["uncertain"]]
    unsure.sort(key=lambda i: (proba[i].max(), i))
    unsure = unsure[:limit] if limit else unsure
    subjects = subjects or [{}] * len(ids)
    return model_candidates("uncertain", [ids[i] for i in unsure], [redacted[i] for i in unsure],
                            [suggestions[i] for i in unsure], [subjects[i] for i in unsure])


def pool_from_calls(model, ids: list[str], narratives: list[str], k: int, strategy: str, *, seed: int = 0,
                    subjects: list[dict[str, str]] | None = None) -> list[Candidate]:
    """An active-learning batch of ``k`` calls from an unlabelled pool, chosen by ``strategy``."""
    suggestions, redacted, proba = _suggest(model, ids, narratives)
    chosen = select(proba, k, strategy, texts=redacted, seed=seed).tolist()
    subjects = subjects or [{}] * len(ids)
    return model_candidates("pool", [ids[i] for i in chosen], [redacted[i] for i in chosen],
                            [suggestions[i] for i in chosen], [subjects[i] for i in chosen])
