"""Request and response bodies of the suggestion API (separate types for each direction)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SuggestionRequest", "BatchRequest", "ReasonOut", "ModelInfo", "SuggestionOut", "BatchOut",
           "DecisionRequest", "DecisionOut", "ModelOut", "ReadyOut", "PromoteRequest", "PromoteOut", "KeyRequest", "KeyOut"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SuggestionRequest(_In):
    narrative: str = Field(description="The call narrative as written. Redacted before it is stored or scored.")
    call_ref: str | None = Field(default=None, max_length=128, pattern=r"^[\w./:-]*$",
                                 description="The force's call reference (letters, digits and ./:-_ only).")
    subject: dict[str, str] = Field(default_factory=dict, max_length=16,
                                    description="Subject attributes (e.g. age_band, sex, ethnicity), taxonomy values only.")


class BatchRequest(_In):
    items: list[SuggestionRequest] = Field(min_length=1, description="Up to the configured batch limit.")


class ReasonOut(BaseModel):
    kind: Literal["phrase", "safety_rule", "uncertainty"]
    text: str
    target: str
    weight: float | None = None


class ModelInfo(BaseModel):
    name: str
    version: str
    alias: str | None


class SuggestionOut(BaseModel):
    suggestion_id: str
    call_ref: str | None
    category: str
    category_scores: dict[str, float]
    police_response_required: bool = Field(description="Raised when the score reaches the threshold, a safety "
                                                       "rule fires, or the model is uncertain.")
    police_response_score: float
    threshold: float
    uncertain: bool
    reasons: list[ReasonOut]
    model: ModelInfo
    advisory_notice: str


class BatchOut(BaseModel):
    suggestions: list[SuggestionOut]


class DecisionRequest(_In):
    category: str = Field(max_length=64, description="The category the handler decided on.")
    police_attend: bool = Field(description="Whether police attend.")
    reason: str | None = Field(default=None, max_length=2000, description="Why (redacted before it is stored).")


class DecisionOut(BaseModel):
    suggestion_id: str
    disputed: bool
    decided_at: str


class ModelOut(BaseModel):
    model: ModelInfo
    threshold: float
    target_recall: float
    categories: list[str]
    flag_name: str
    metrics: dict[str, float]
    data_notice: str


class ReadyOut(BaseModel):
    ready: bool
    reason: str | None = None
    model: ModelInfo | None = None


class PromoteRequest(_In):
    version: str | None = Field(default=None, pattern=r"^[0-9]{1,9}$", description="Default: the challenger.")
    override: str | None = Field(default=None, max_length=2000,
                                 description="Promote despite failed checks: a written justification, stored.")


class PromoteOut(BaseModel):
    promoted: bool
    version: str | None = None
    checks: list[dict] = Field(default_factory=list)
    overridden: bool = False
    model: ModelInfo | None = None


class KeyRequest(_In):
    role: Literal["handler", "analyst", "governance", "admin"]
    label: str = Field(default="", max_length=128)


class KeyOut(BaseModel):
    id: int
    role: str
    label: str
    key: str | None = Field(default=None, description="Shown once, when the key is made.")
    created_at: str | None = None
    revoked: bool = False
