"""Record schemas shared by every part of the project.

A call record is one health-related (or not) call: an id, a narrative, optional labels and the subject's
attributes. Attributes are recorded separately from the narrative and are used only for fairness
evaluation, never as model features.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PII_TYPES", "PiiType", "PiiSpan", "CallRecord"]

PiiType = Literal[
    "PERSON", "ADDRESS", "POSTCODE", "PHONE", "EMAIL", "DOB", "NHS_NUMBER", "VEHICLE_REG", "REFERENCE"
]
PII_TYPES: tuple[str, ...] = PiiType.__args__  # type: ignore[attr-defined]


class PiiSpan(BaseModel):
    """A personal-data string at ``text[start:end]`` (Python character offsets)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    type: PiiType


class CallRecord(BaseModel):
    """One validated call. ``category``/``police_response_required`` are None for unlabelled calls."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    narrative: str = Field(min_length=1)
    category: str | None = None
    police_response_required: bool | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
