"""Training configuration: one YAML file, validated strictly (unknown keys are errors), copied into the run."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rcrp.models.errors import ErrorCode, RcrpError

__all__ = ["TrainConfig", "load_train_config", "DEFAULT_CONFIG_PATH"]

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent / "configs" / "default.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataSection(_Strict):
    synthetic_rows: int = Field(default=20_000, ge=200)
    synthetic_seed: int = 13


class ValidationSection(_Strict):
    group_by: Literal["register", "family"] = "family"
    in_distribution_folds: int = Field(default=4, ge=2, le=10)
    max_rows: int = Field(default=10_000, ge=200, description="Validation uses at most this many rows (a sample).")


class _CGrid(_Strict):
    """A section with a grid of inverse regularisation strengths to choose from on validation."""

    c_grid: tuple[float, ...] = Field(default=(1.0, 4.0), min_length=1)

    @field_validator("c_grid")
    @classmethod
    def _positive(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if any(c <= 0 for c in v):
            raise ValueError("every C must be > 0")
        return v


class LinearSection(_CGrid):
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 4)
    min_df: int = Field(default=2, ge=1)
    max_word_features: int = Field(default=100_000, ge=100)
    max_char_features: int = Field(default=150_000, ge=100)


class TransformerSection(_CGrid):
    c_grid: tuple[float, ...] = Field(default=(1.0, 10.0), min_length=1)


class PolicySection(_Strict):
    target_recall: float = Field(default=0.98, gt=0.5, le=1.0)
    flag_band: float = Field(default=0.5, ge=0.0, le=5.0, description="Uncertain band half-width in log-odds.")
    category_margin: float = Field(default=0.15, ge=0.0, le=1.0)


class GateSection(_Strict):
    min_macro_f1: float = Field(default=0.6, ge=0.0, le=1.0)
    # Share of counterfactual tests (rcrp fairness) whose advice changed with identity words.
    max_counterfactual_flip_rate: float = Field(default=0.05, ge=0.0, le=1.0)


class TrainConfig(_Strict):
    model: Literal["linear", "transformer", "ensemble"] = "linear"
    seed: int = 13
    data: DataSection = DataSection()
    validation: ValidationSection = ValidationSection()
    linear: LinearSection = LinearSection()
    transformer: TransformerSection = TransformerSection()
    policy: PolicySection = PolicySection()
    gate: GateSection = GateSection()


def load_train_config(path: str | Path | None = None, **overrides) -> TrainConfig:
    """Read and validate a config file (default: ``training/configs/default.yaml``); errors name the field."""
    path = Path(path) if path else DEFAULT_CONFIG_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RcrpError(ErrorCode.TRAIN_CONFIG_INVALID, detail=f"{path.name}: {type(exc).__name__}") from None
    if not isinstance(raw, dict):
        raise RcrpError(ErrorCode.TRAIN_CONFIG_INVALID, detail=f"{path.name}: top level must be a mapping")
    raw.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return TrainConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise RcrpError(ErrorCode.TRAIN_CONFIG_INVALID, detail=f"{path.name}: {problems}") from None
