"""One assessment of a model on a labelled set: evaluation, fairness by group, counterfactual tests.

``assess`` scores every call once through the model's own ``suggest`` (redaction first, the advice a
handler would see) and hands the suggestions to the three analyses. ``Assessment.save`` writes what
governance keeps: ``evaluation.json``, ``fairness_groups.csv`` (the tidy table), ``fairness.json``
(summary and flagged rows), ``counterfactual.json`` and ``assessment.json`` (everything but the table).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rcrp.eval.counterfactual import Lexicon, counterfactual_tests, load_lexicon
from rcrp.eval.evaluation import evaluate_suggestions
from rcrp.eval.fairness import FairnessConfig, fairness_summary, group_rates, rate_specs, screen_disparities

__all__ = ["LabelledCalls", "Assessment", "assess", "load_labelled_calls"]


@dataclass(frozen=True)
class LabelledCalls:
    """Calls with labels and subject attributes, all of length n."""

    ids: list[str]
    narratives: list[str]
    categories: list[str]
    flags: list[bool]
    attributes: dict[str, list[str]]
    source: str
    synthetic: bool

    def sha256(self) -> str:
        h = hashlib.sha256()
        for i, t, c, f in zip(self.ids, self.narratives, self.categories, self.flags):
            h.update(f"{i}\x1f{t}\x1f{c}\x1f{int(f)}\x1e".encode())
        return h.hexdigest()


def load_labelled_calls(path: str | Path, settings, *, split: str | None = None) -> LabelledCalls:
    """A labelled call file (JSONL, CSV or Parquet) with subject attributes; ``split`` keeps matching rows."""
    from rcrp.models.call_files import load_calls
    from rcrp.models.errors import ErrorCode, RcrpError

    taxonomy = settings.taxonomy()
    loaded = load_calls(path, taxonomy=taxonomy, max_narrative_chars=settings.max_narrative_chars,
                        require_labels=True, keep_columns=("split", "source"))
    rows = [r for r in loaded.dataset.to_list() if split is None or r.get("split") == split]
    if not rows:
        raise RcrpError(ErrorCode.TRAINING_DATA_INVALID, detail=f"{Path(path).name}: no labelled rows to assess")
    attrs = {a.name: [str(r.get(a.name) or a.unknown_value) for r in rows] for a in taxonomy.attributes}
    synthetic = all(str(r.get("source") or "") == "synthetic" for r in rows)
    return LabelledCalls([str(r["id"]) for r in rows], [r["narrative"] for r in rows], [r["category"] for r in rows],
                         [bool(r[taxonomy.flag_name]) for r in rows], attrs,
                         Path(path).name + (f"[{split}]" if split else ""), synthetic)


@dataclass
class Assessment:
    model: dict[str, Any]
    data: dict[str, Any]
    evaluation: dict[str, Any]
    fairness_table: Any  # pandas DataFrame, one row per grouping x group x metric
    fairness: dict[str, Any]
    counterfactual: dict[str, Any]
    config: dict[str, Any] = field(default_factory=dict)

    def headline(self) -> dict[str, Any]:
        """Flat figures for the registry and the gate."""
        flag = self.evaluation["flag_as_advised"]
        return {"recall": flag["recall"]["value"], "false_negative_rate": flag["false_negative_rate"]["value"],
                "macro_f1": self.evaluation["category"]["macro_f1"]["value"],
                "flag_fnr_flagged_groups": self.fairness["flag_fnr_flagged_groups"],
                "flagged": self.fairness["flagged"], "comparisons": self.fairness["comparisons"],
                "flip_rate": self.counterfactual["flip_rate"]["value"],
                "worst_flip_dimension": self.counterfactual["worst_dimension"]["dimension"],
                "worst_flip_rate": self.counterfactual["worst_dimension"]["value"],
                "risk_score_lowered": self.counterfactual["current_risk"]["score_lowered"]["value"]}

    def flagged_rows(self) -> list[dict[str, Any]]:
        t = self.fairness_table
        return _records(t[t.flagged])

    def save(self, directory: str | Path) -> dict[str, Path]:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        files = {"evaluation": d / "evaluation.json", "fairness_groups": d / "fairness_groups.csv",
                 "fairness": d / "fairness.json", "counterfactual": d / "counterfactual.json",
                 "assessment": d / "assessment.json"}
        _dump(files["evaluation"], self.evaluation)
        self.fairness_table.to_csv(files["fairness_groups"], index=False)
        _dump(files["fairness"], {**self.fairness, "flagged_rows": self.flagged_rows()})
        _dump(files["counterfactual"], self.counterfactual)
        _dump(files["assessment"], {"model": self.model, "data": self.data, "config": self.config,
                                    "headline": self.headline()})
        return files


def _records(frame) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records"))


def _dump(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, default=_plain), encoding="utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    return str(value)


def assess(model, calls: LabelledCalls, *, fairness: FairnessConfig | None = None, lexicon: Lexicon | None = None,
           counterfactual_sample: int = 300, n_boot: int = 1000, seed: int = 0) -> Assessment:
    """Score ``calls`` with ``model`` (a ``TriageModel``) and run the three analyses.

    ``counterfactual_sample`` narratives (a seeded random sample) get the counterfactual tests; each
    yields about sixty variants, so this bounds the run time.
    """
    fairness = fairness or FairnessConfig(seed=seed)
    lexicon = lexicon or load_lexicon()
    suggestions = model.suggest(calls.ids, calls.narratives)
    categories = list(model.categories)
    suggested = [s.category for s in suggestions]
    advised = np.array([s.police_response_required for s in suggestions])
    evaluation = evaluate_suggestions(
        calls.categories, calls.flags, suggested, advised, [s.police_response_score for s in suggestions],
        model.policy.threshold, [max(s.category_scores.values()) for s in suggestions], categories,
        uncertain=[s.uncertain for s in suggestions], n_boot=n_boot, seed=seed)
    specs = rate_specs(calls.categories, calls.flags, suggested, advised, categories)
    table = screen_disparities(group_rates(calls.attributes, specs, fairness), specs, fairness)
    rng = np.random.default_rng(seed)
    sample = sorted(rng.choice(len(calls.ids), size=min(counterfactual_sample, len(calls.ids)), replace=False))
    counterfactual = counterfactual_tests(model, [calls.narratives[i] for i in sample], lexicon)
    return Assessment(
        model={"version": model.version, "threshold": model.policy.threshold,
               "target_recall": model.policy.target_recall, "taxonomy": model.taxonomy_id,
               "scorer": getattr(model.scorer, "kind", "unknown"), "info": model.info,
               "identity_masking": len(model.masker.terms) if getattr(model, "masker", None) else None},
        data={"source": calls.source, "rows": len(calls.ids), "sha256": calls.sha256(), "synthetic": calls.synthetic,
              "flag_true": int(np.sum(calls.flags))},
        evaluation=evaluation, fairness_table=table, fairness=fairness_summary(table, fairness),
        counterfactual=counterfactual,
        config={"band": list(fairness.band), "min_group_size": fairness.min_group_size, "alpha": fairness.alpha,
                "n_boot": n_boot, "reference": dict(fairness.reference), "counterfactual_sample": len(sample),
                "lexicon_dimensions": [d.name for d in lexicon.dimensions], "seed": seed})
