"""Settings: the only reader of the environment (prefix ``RCRP_``).

Build it where a program starts (``Settings()``), never at import time, and pass it down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from rcrp.models.taxonomy import Taxonomy, default_taxonomy, load_taxonomy

__all__ = ["Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RCRP_", extra="ignore", frozen=True)

    data_dir: Path = Field(default=Path("data"), description="Where corpora, rejects and run state live.")
    taxonomy_path: Path | None = Field(default=None, description="A force's own taxonomy YAML; default v1.")
    max_narrative_chars: int = Field(default=10_000, gt=0, description="Longer narratives are rejected.")

    def taxonomy(self) -> Taxonomy:
        return load_taxonomy(self.taxonomy_path) if self.taxonomy_path else default_taxonomy()
