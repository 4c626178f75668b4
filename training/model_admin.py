"""Registry administration: listing versions and promoting a challenger through the gate."""

from __future__ import annotations

from typing import Any

from rcrp.eval.gate import check_promotion
from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.registry import mlflow_client
from rcrp.models.settings import Settings
from rcrp.training.tracking import CHALLENGER, CHAMPION

__all__ = ["list_versions", "promote_version"]


def _metrics(tags: dict[str, str]) -> dict[str, float]:
    out = {}
    for key, value in tags.items():
        if key.startswith("metric."):
            try:
                out[key.removeprefix("metric.")] = float(value)
            except ValueError:
                continue
    return out


def list_versions(settings: Settings) -> list[dict[str, Any]]:
    """Every version of the registered model, newest first, with aliases and headline metrics."""
    client = mlflow_client(settings)
    from mlflow.exceptions import MlflowException

    try:
        registered = client.get_registered_model(settings.registered_model)
    except MlflowException:
        return []
    by_version: dict[str, list[str]] = {}
    for alias, version in (registered.aliases or {}).items():
        by_version.setdefault(str(version), []).append(alias)
    rows = []
    for mv in client.search_model_versions(f"name='{settings.registered_model}'"):
        tags = dict(mv.tags or {})
        rows.append({"version": str(mv.version), "aliases": sorted(by_version.get(str(mv.version), [])),
                     "run_id": mv.run_id, "created": mv.creation_timestamp, "metrics": _metrics(tags),
                     "synthetic": tags.get("rcrp.synthetic", "unknown"),
                     "assessment": {k.removeprefix("assessment."): v for k, v in tags.items()
                                    if k.startswith("assessment.")},
                     "promotion_override": tags.get("rcrp.promotion_override")})
    return sorted(rows, key=lambda r: int(r["version"]), reverse=True)


def promote_version(settings: Settings, *, version: str | None = None, override: str | None = None,
                    check_only: bool = False) -> dict[str, Any]:
    """Point ``champion`` at ``version`` (default: the challenger) if it passes the gate.

    A failing version is refused with every failing check named, unless ``override`` gives a written
    justification, which is stored with the version. ``check_only`` runs the gate and changes nothing:
    the result says whether it passed (``passed``) and ``promoted`` is false.
    """
    client = mlflow_client(settings)
    from mlflow.exceptions import MlflowException

    name = settings.registered_model
    try:
        mv = client.get_model_version(name, version) if version else client.get_model_version_by_alias(name, CHALLENGER)
    except MlflowException:
        raise RcrpError(ErrorCode.MODEL_UNAVAILABLE, detail=f"{name} version {version or '@' + CHALLENGER} not found") from None
    tags = dict(mv.tags or {})
    metrics = _metrics(tags)
    gate = client.get_run(mv.run_id).data.params if mv.run_id else {}
    target = float(metrics.get("target_recall") or gate.get("policy.target_recall") or 0.98)
    min_f1 = float(gate.get("gate.min_macro_f1") or 0.6)
    max_flips = float(gate.get("gate.max_counterfactual_flip_rate") or 0.05)
    assessment = {k.removeprefix("assessment."): v for k, v in tags.items() if k.startswith("assessment.")}
    result = check_promotion(metrics, target_recall=target, min_macro_f1=min_f1, assessment=assessment,
                             max_flip_rate=max_flips)
    checks = [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in result.checks]
    if check_only:
        return {"version": str(mv.version), "checks": checks, "passed": result.passed, "promoted": False}
    if not result.passed:
        if not override or len(override.strip()) < 20:
            failing = "; ".join(f"{c.name}: {c.detail}" for c in result.failures)
            raise RcrpError(ErrorCode.PROMOTION_REFUSED,
                            detail=f"version {mv.version}: {failing}" + ("" if not override else
                                   "; an override needs a written justification of at least 20 characters"))
        client.set_model_version_tag(name, str(mv.version), "rcrp.promotion_override", override.strip())
    client.set_registered_model_alias(name, CHAMPION, str(mv.version))
    return {"version": str(mv.version), "checks": checks, "overridden": not result.passed, "passed": result.passed,
            "promoted": True}
