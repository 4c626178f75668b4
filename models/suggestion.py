"""What the model says about one call: the advisory suggestion shown to a handler and written by
``rcrp predict``.

A suggestion is advice, never a decision. ``police_response_required`` is False only when the model is
confident and no safety rule fired; any uncertainty raises it with the reason "handler judgement
required", so uncertainty never reads as "no police needed".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Reason", "Suggestion", "ADVISORY_NOTICE", "HANDLER_JUDGEMENT", "reason_text"]

ADVISORY_NOTICE = ("Advisory only: this suggestion supports, and never replaces, the handler's judgement and "
                   "the force's RCRP policy. Trained on SYNTHETIC data until validated on the force's own calls.")
HANDLER_JUDGEMENT = "handler judgement required"


class Reason(BaseModel):
    """Why the suggestion is what it is.

    ``kind``: ``phrase`` (words of the redacted narrative that pushed the score, with their weight in
    log-odds), ``safety_rule`` (a rule of the safety guard fired), ``uncertainty`` (the model is unsure).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["phrase", "safety_rule", "uncertainty"]
    text: str
    target: str = Field(description="What the reason supports: a category name or the flag's name.")
    weight: float | None = None


class Suggestion(BaseModel):
    """One call's suggestion. Scores are calibrated probabilities in [0, 1]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    category: str
    category_scores: dict[str, float]
    police_response_required: bool
    police_response_score: float = Field(ge=0.0, le=1.0)
    threshold: float = Field(ge=0.0, le=1.0)
    uncertain: bool
    reasons: list[Reason]
    model_version: str

    def to_row(self) -> dict:
        """A flat row for ``rcrp predict`` output files (reasons as a list of short strings)."""
        row = self.model_dump(exclude={"reasons", "threshold"})
        row["reasons"] = [reason_text(r.kind, r.text, r.target) for r in self.reasons]
        return row


def reason_text(kind: str, text: str, target: str) -> str:
    """A reason as one short line, as output files show it."""
    if kind == "phrase":
        return f"phrase '{text}' -> {target}"
    if kind == "safety_rule":
        return f"safety rule: {text}"
    return f"uncertain: {text}"
