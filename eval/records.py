"""Keeping an assessment with the model version it judged: artifacts on the version's MLflow run and
``assessment.*`` tags on the registered version, which the promotion gate reads.

A later assessment replaces the tags (the gate judges the latest), while every assessment's files stay
on the run under ``assessment/<timestamp>/``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from rcrp.models.registry import ModelRef, mlflow_client
from rcrp.models.settings import Settings

__all__ = ["assessment_tags", "record_assessment"]


def assessment_tags(a) -> dict[str, str]:
    """The flat ``assessment.*`` tags of an ``Assessment`` (strings, as MLflow stores them)."""
    flag = a.evaluation["flag_as_advised"]
    fair = a.fairness
    return {
        "assessment.data": a.data["source"], "assessment.data_sha256": a.data["sha256"],
        "assessment.rows": str(a.data["rows"]), "assessment.synthetic": str(bool(a.data["synthetic"])).lower(),
        "assessment.flag_recall": f"{flag['recall']['value']:.4f}" if flag["recall"]["value"] is not None else "",
        "assessment.flag_recall_ci_high": f"{flag['recall']['ci_high']:.4f}" if flag["recall"]["ci_high"] is not None else "",
        "assessment.flag_fnr_flagged": ";".join(fair["flag_fnr_flagged_groups"]) or "none",
        "assessment.fairness_flagged": str(fair["flagged"]), "assessment.fairness_comparisons": str(fair["comparisons"]),
        "assessment.band": f"{fair['band'][0]}-{fair['band'][1]}",
        "assessment.flip_rate": f"{a.counterfactual['worst_dimension']['value'] or 0:.4f}",
        "assessment.flip_dimension": str(a.counterfactual["worst_dimension"]["dimension"]),
        "assessment.flip_rate_all": f"{a.counterfactual['flip_rate']['value'] or 0:.4f}",
        "assessment.at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def record_assessment(settings: Settings, ref: ModelRef, a, files: dict[str, Path]) -> str:
    """Log ``files`` to the version's run and set its ``assessment.*`` tags; returns the artifact path."""
    client = mlflow_client(settings)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    artifact_path = f"assessment/{stamp}"
    if ref.run_id:
        for path in files.values():
            path = Path(path)
            if path.is_dir():
                client.log_artifacts(ref.run_id, str(path), f"{artifact_path}/{path.name}")
            else:
                client.log_artifact(ref.run_id, str(path), artifact_path)
    for key, value in assessment_tags(a).items():
        client.set_model_version_tag(ref.name, ref.version, key, value)
    client.set_model_version_tag(ref.name, ref.version, "assessment.artifacts", artifact_path)
    return artifact_path
