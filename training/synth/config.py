"""Configuration of the synthetic corpus generator, validated strictly (unknown keys are errors)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["BiasInjection", "SynthConfig", "REGISTERS"]

REGISTERS: tuple[str, ...] = ("terse_log", "handler_narrative", "partner_referral", "public_report")


class BiasInjection(BaseModel):
    """Make the corpus unfair on purpose, to show that the fairness evaluation catches it.

    ``implicit_risk``: for the group, a real current risk is worded less explicitly at ``rate``.
    ``label_flip``: for the group, a true flag is recorded as false at ``rate`` (biased historic labels).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    attribute: Literal["age_band", "sex", "ethnicity"]
    value: str
    effect: Literal["implicit_risk", "label_flip"] = "implicit_risk"
    rate: float = Field(default=0.6, ge=0.0, le=1.0)


class SynthConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    n: int = Field(default=10_000, ge=1, le=50_000_000)
    seed: int = Field(default=13, ge=0)
    pii_rate: float = Field(default=1 / 3, ge=0.0, le=1.0, description="Share of narratives with fictional PII.")
    typo_rate: float = Field(default=0.01, ge=0.0, le=0.2, description="Chance that a word gets a typo.")
    label_noise: float = Field(default=0.0, ge=0.0, le=0.5, description="Share of records with one wrong label.")
    unknown_attribute_rate: float = Field(default=0.05, ge=0.0, le=1.0)
    bias: BiasInjection | None = None
    registers: tuple[str, ...] = REGISTERS
    category_weights: dict[str, float] = Field(default_factory=lambda: {
        "concern_for_welfare": 0.22, "walkout_healthcare": 0.15, "awol_mental_health": 0.14,
        "conveyance": 0.15, "mha_s136_handover": 0.15, "police_matter": 0.19,
    })

    @field_validator("registers")
    @classmethod
    def _known_registers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [r for r in value if r not in REGISTERS]
        if unknown or not value:
            raise ValueError(f"must be a non-empty subset of {list(REGISTERS)}")
        return value

    @field_validator("category_weights")
    @classmethod
    def _known_categories(cls, value: dict[str, float]) -> dict[str, float]:
        from rcrp.training.synth.phrasebank import CATEGORY_FLAG_RATE

        unknown = [c for c in value if c not in CATEGORY_FLAG_RATE]
        if unknown:
            raise ValueError(f"the generator has no situations for {unknown}")
        if any(w < 0 for w in value.values()) or sum(value.values()) <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        return value
