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
    mlflow_tracking_uri: str | None = Field(
        default=None, description="MLflow tracking and registry URI; default: a SQLite file under data_dir/mlflow.")
    mlflow_artifact_root: str | None = Field(
        default=None, description="Where new experiments keep artifacts; default: data_dir/mlflow/artifacts.")
    mlflow_experiment: str = Field(default="rcrp-triage", min_length=1)
    registered_model: str = Field(default="rcrp-triage", min_length=1, description="Model registry name.")
    model_uri: str = Field(default="models:/rcrp-triage@champion", description="The model predictions use by default.")
    identity_descriptors_path: Path | None = Field(
        default=None, description="Extra identity descriptors to mask before training (see identity_masking).")

    def taxonomy(self) -> Taxonomy:
        return load_taxonomy(self.taxonomy_path) if self.taxonomy_path else default_taxonomy()

    def tracking_uri(self) -> str:
        if self.mlflow_tracking_uri:
            return self.mlflow_tracking_uri
        return f"sqlite:///{(self.data_dir / 'mlflow' / 'mlflow.db').resolve()}"

    def artifact_root(self) -> str:
        if self.mlflow_artifact_root:
            return self.mlflow_artifact_root
        return (self.data_dir / "mlflow" / "artifacts").resolve().as_uri()
