"""Loading models from the MLflow registry (or a local model directory), and the MLflow environment.

MLflow is imported lazily, after ``prepare_mlflow`` has switched off its telemetry and progress bars:
the project runs offline and must not phone home. The tracking URI and artifact root always come from
``Settings`` (MLflow's own default would write ``./mlflow.db`` and ``./mlruns`` wherever it is run).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.settings import Settings
from rcrp.models.triage_model import TriageModel

__all__ = ["prepare_mlflow", "mlflow_client", "ModelRef", "resolve_model", "load_triage_model", "MODEL_ARTIFACT"]

MODEL_ARTIFACT = "triage_model"  # the artifact key (and folder) of the model directory inside a logged model
_QUIET = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "GIT_PYTHON_REFRESH": "quiet",
    "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false",
    "MLFLOW_SKIP_PIP_REQUIREMENTS_CHECK": "true",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}
_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:@(?P<alias>[\w-]+)|/(?P<version>\d+))$")


def prepare_mlflow(settings: Settings):
    """Set MLflow's environment (offline, quiet), point it at the settings' store and return the module."""
    for key, value in _QUIET.items():
        os.environ.setdefault(key, value)
    import mlflow

    uri = settings.tracking_uri()
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return mlflow


def mlflow_client(settings: Settings):
    prepare_mlflow(settings)
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=settings.tracking_uri(), registry_uri=settings.tracking_uri())


@dataclass(frozen=True)
class ModelRef:
    """A resolved registered model version."""

    name: str
    version: str
    alias: str | None
    run_id: str | None

    @property
    def label(self) -> str:
        return f"{self.name}/{self.version}" + (f"@{self.alias}" if self.alias else "")


def resolve_model(uri: str, settings: Settings) -> ModelRef:
    """``models:/name@alias`` or ``models:/name/N`` to a version; errors say no model is available."""
    m = _URI.match(uri)
    if not m:
        raise RcrpError(ErrorCode.MODEL_UNAVAILABLE, detail="model URI must be models:/NAME@ALIAS or models:/NAME/VERSION")
    client = mlflow_client(settings)
    from mlflow.exceptions import MlflowException

    try:
        if m["alias"]:
            mv = client.get_model_version_by_alias(m["name"], m["alias"])
        else:
            mv = client.get_model_version(m["name"], m["version"])
    except MlflowException:
        raise RcrpError(ErrorCode.MODEL_UNAVAILABLE, detail=f"{uri} is not in the registry") from None
    return ModelRef(m["name"], str(mv.version), m["alias"], mv.run_id)


def load_triage_model(uri: str, settings: Settings, *, cache_dir: str | Path | None = None) -> TriageModel:
    """Load a model from the registry (``models:/...``) or from a local model directory."""
    local = Path(uri)
    if not uri.startswith("models:/"):
        if not (local / "triage_model.json").exists():
            raise RcrpError(ErrorCode.MODEL_UNAVAILABLE, detail="no triage_model.json in the given directory")
        return TriageModel.load(local, version=f"local:{local.name}")
    ref = resolve_model(uri, settings)
    mlflow = prepare_mlflow(settings)
    target = Path(cache_dir or tempfile.mkdtemp(prefix="rcrp-model-")) / f"{ref.name}-{ref.version}"
    if not (target / "artifacts" / MODEL_ARTIFACT / "triage_model.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{ref.name}/{ref.version}", dst_path=str(target))
    try:
        return TriageModel.load(target / "artifacts" / MODEL_ARTIFACT, version=ref.label)
    except (OSError, ValueError, KeyError):
        raise RcrpError(ErrorCode.MODEL_INVALID, detail=ref.label) from None
