"""``rcrp train``: data -> redaction -> validation on held-out registers -> final fit -> MLflow.

Model choice (C), calibration and the flag threshold come from out-of-fold scores on held-out groups of
the training data (see ``training.validation``); nothing is tuned on a test split.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from rcrp.eval.metrics import (
    category_metrics,
    expected_calibration_error,
    flag_metrics,
    recall_at_precision,
    threshold_for_recall,
)
from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.safety_guard import SafetyGuard
from rcrp.models.settings import Settings
from rcrp.models.triage_model import DecisionPolicy, TriageModel
from rcrp.training.config import TrainConfig
from rcrp.training.validation import group_folds, random_folds

__all__ = ["TrainingData", "load_training_data", "load_eval_data", "train_model", "TrainResult"]


@dataclass
class TrainingData:
    ids: list[str]
    texts: list[str]  # redacted
    categories: list[str]
    flags: np.ndarray
    groups: list[str] | None
    lineage: dict[str, Any]
    registers: list[str] | None = None


@dataclass
class TrainResult:
    model: TriageModel
    model_dir: Path
    metrics: dict[str, float]
    report: dict[str, Any]
    tracking: dict[str, Any] | None


def _sha256_of(texts: Sequence[str], labels: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t, c in zip(texts, labels):
        h.update(t.encode("utf-8"))
        h.update(b"\x1f" + c.encode("utf-8") + b"\x1e")
    return h.hexdigest()


def load_training_data(settings: Settings, config: TrainConfig, data_path: Path | None = None,
                       column_map: dict[str, str] | None = None, progress: Callable[[str], None] = lambda _: None
                       ) -> TrainingData:
    """Labelled calls from a file (validated; rejects written beside the run) or a synthetic corpus."""
    from rcrp.models.redaction import default_redactor

    taxonomy = settings.taxonomy()
    if data_path is not None:
        from rcrp.models.call_files import load_calls

        rejects = settings.data_dir / "rejects" / f"{Path(data_path).stem}.train_rejects.jsonl"
        loaded = load_calls(data_path, taxonomy=taxonomy, max_narrative_chars=settings.max_narrative_chars,
                            require_labels=True, column_map=column_map, rejects_path=rejects)
        ds = loaded.dataset
        rows = ds.to_list()
        source = str(Path(data_path).name)
        # The generator marks its rows; anything else is treated as real data.
        synthetic = bool(rows) and all(str(r.get("source") or "").startswith("synthetic") for r in rows)
        summary = loaded.summary()
    else:
        from rcrp.training.synth.config import SynthConfig
        from rcrp.training.synth.corpus import iter_corpus

        cfg = SynthConfig(n=config.data.synthetic_rows, seed=config.data.synthetic_seed)
        rows = [r for chunk in iter_corpus(cfg) for r in chunk]
        source, synthetic = f"synthetic:n={cfg.n},seed={cfg.seed}", True
        summary = {"rows_read": len(rows), "accepted": len(rows), "rejected": 0}
    if len(rows) < 50:
        raise RcrpError(ErrorCode.TRAINING_DATA_INVALID, detail=f"{len(rows)} labelled rows; at least 50 are needed")
    progress(f"redacting {len(rows)} narratives")
    redactor = default_redactor()
    texts = model_texts(settings, [row["narrative"] for row in rows], redactor)
    categories = [row["category"] for row in rows]
    flags = np.array([bool(row[taxonomy.flag_name]) for row in rows])
    group_key = config.validation.group_by
    groups = [str(row.get(group_key)) for row in rows] if all(row.get(group_key) for row in rows) else None
    balance = {c: categories.count(c) for c in taxonomy.category_names}
    lineage = {"source": source, "synthetic": synthetic, "sha256": _sha256_of(texts, categories), "rows": len(rows),
               "load_summary": summary, "category_counts": balance, "flag_true": int(flags.sum()),
               "groups": sorted(set(groups)) if groups else None, "group_by": group_key if groups else None,
               "taxonomy": taxonomy.label_id, "redacted": True}
    registers = [str(row["register"]) for row in rows] if all(row.get("register") for row in rows) else None
    return TrainingData([str(r["id"]) for r in rows], texts, categories, flags, groups, lineage, registers)


def _masker(settings: Settings):
    """Identity descriptors come out of everything a model is trained or scored on (see
    ``rcrp.models.identity_masking``); the list is saved with the model."""
    from rcrp.models.identity_masking import default_masker

    extra = settings.identity_descriptors_path
    return default_masker(str(extra) if extra else None)


def model_texts(settings: Settings, narratives: list[str], redactor=None) -> list[str]:
    """Exactly what ``TriageModel.suggest`` gives the scorer: masked, redacted, gender-neutralised."""
    from rcrp.models.identity_masking import model_input
    from rcrp.models.redaction import default_redactor

    redactor = redactor or default_redactor()
    return model_input(narratives, _masker(settings), lambda t: [r.text for r in redactor.redact_many(t)])


def load_eval_data(settings: Settings, path: Path, *, split: str | None = None) -> TrainingData:
    """A labelled file scored after training (never used for any choice); ``split`` keeps matching rows."""
    from rcrp.models.call_files import load_calls
    from rcrp.models.redaction import default_redactor

    taxonomy = settings.taxonomy()
    loaded = load_calls(path, taxonomy=taxonomy, max_narrative_chars=settings.max_narrative_chars, require_labels=True,
                        keep_columns=("split", "style", "register"))
    rows = [r for r in loaded.dataset.to_list() if split is None or r.get("split") == split]
    if not rows:
        raise RcrpError(ErrorCode.TRAINING_DATA_INVALID, detail=f"{Path(path).name}: no labelled rows to evaluate")
    texts = model_texts(settings, [row["narrative"] for row in rows], default_redactor())
    categories = [row["category"] for row in rows]
    groups = [str(row.get("style") or row.get("register") or "all") for row in rows]
    lineage = {"source": f"{Path(path).name}" + (f"[{split}]" if split else ""), "rows": len(rows),
               "sha256": _sha256_of(texts, categories), "synthetic": False}
    return TrainingData([str(r["id"]) for r in rows], texts, categories,
                        np.array([bool(r[taxonomy.flag_name]) for r in rows]), groups, lineage)


def _metrics_block(name: str, y_cat: list[str], y_flag: np.ndarray, p_cat: np.ndarray, p_flag: np.ndarray,
                   categories: Sequence[str], policy: DecisionPolicy, guard_hits: np.ndarray) -> dict[str, Any]:
    pred = [categories[i] for i in p_cat.argmax(axis=1)]
    by_score = p_flag >= policy.threshold
    top2 = np.sort(p_cat, axis=1)[:, -2:]
    lo, hi = policy.flag_band_limits()
    uncertain = ((p_flag >= lo) & (p_flag < hi)) | ((top2[:, 1] - top2[:, 0]) < policy.category_margin)
    advised = by_score | guard_hits | uncertain
    ece, table = expected_calibration_error(y_flag, p_flag)
    return {"name": name, "n": int(len(y_cat)), "category": category_metrics(y_cat, pred, categories),
            "flag_by_score": flag_metrics(y_flag, by_score), "flag_as_advised": flag_metrics(y_flag, advised),
            "uncertain_rate": float(uncertain.mean()), "flag_ece": ece, "flag_reliability": table,
            "flag_recall_at_precision_0.8": recall_at_precision(y_flag, p_flag, 0.8)}


def _figures(report: dict[str, Any]) -> dict[str, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figs = {}
    block = report["held_out_groups"]
    conf = np.array(block["category"]["confusion"]["matrix"])
    labels = block["category"]["confusion"]["labels"]
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    ax.imshow(conf, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    for (i, j), v in np.ndenumerate(conf):
        ax.text(j, i, str(v), ha="center", va="center", fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("Held-out groups (out of fold), SYNTHETIC data", fontsize=9)
    fig.tight_layout()
    figs["confusion_held_out_groups"] = fig
    fig, ax = plt.subplots(figsize=(5, 5))
    for key, style in (("held_out_groups", "o-"), ("held_out_registers", "^-."), ("in_distribution", "s--")):
        if key not in report:
            continue
        rows = report[key]["flag_reliability"]
        ax.plot([r["mean_score"] for r in rows], [r["observed_rate"] for r in rows], style, label=key.replace("_", " "))
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set_xlabel("predicted probability of police response")
    ax.set_ylabel("observed share")
    ax.set_title("Flag calibration (SYNTHETIC data)", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    figs["flag_calibration"] = fig
    return figs


def train_model(settings: Settings, config: TrainConfig, data: TrainingData, *, config_text: str,
                log_to_mlflow: bool = True, progress: Callable[[str], None] = lambda _: None,
                model_dir: Path | None = None, external: TrainingData | None = None) -> TrainResult:
    """Validate, fit and (by default) log and register a triage model of ``config.model``'s kind.

    ``ensemble`` validates both families and their average, and keeps the ensemble only if it beats both
    on the held-out groups; otherwise the better family is registered and the report says why.
    """
    from rcrp.training.families import combine, embed_all, fit_scorer, validate_linear, validate_minilm

    taxonomy = settings.taxonomy()
    categories = taxonomy.category_names
    index = {c: i for i, c in enumerate(categories)}
    y_idx = np.array([index[c] for c in data.categories])
    lin = config.linear
    vec_params = dict(word_ngrams=lin.word_ngrams, char_ngrams=lin.char_ngrams, min_df=lin.min_df,
                      max_word_features=lin.max_word_features, max_char_features=lin.max_char_features)
    rng = np.random.default_rng(config.seed)
    n = len(data.texts)
    sample = np.sort(rng.choice(n, size=min(n, config.validation.max_rows), replace=False))
    texts_v = [data.texts[i] for i in sample]
    y_v, flags_v = y_idx[sample], data.flags[sample]
    groups_v = [data.groups[i] for i in sample] if data.groups else None
    if groups_v and len(set(groups_v)) >= 2:
        folds, fold_kind = group_folds(groups_v), f"held-out {data.lineage['group_by']}"
    else:
        folds, fold_kind = random_folds(len(sample), config.validation.in_distribution_folds, config.seed), "random"
    rand_folds = random_folds(len(sample), config.validation.in_distribution_folds, config.seed)
    wants = {"linear": ("linear",), "transformer": ("minilm",), "ensemble": ("linear", "minilm")}[config.model]
    emb_all = embed_all(data.texts, progress) if "minilm" in wants else None
    fits = {}
    progress(f"validation: {len(folds)} folds ({fold_kind}), {len(sample)} rows, families {list(wants)}")
    if "linear" in wants:
        fits["linear"] = validate_linear(texts_v, y_v, flags_v, folds, c_grid=lin.c_grid, categories=categories,
                                         vec_params=vec_params, seed=config.seed)
    if "minilm" in wants:
        fits["minilm"] = validate_minilm(emb_all[sample], y_v, flags_v, folds, c_grid=config.transformer.c_grid,
                                         categories=categories, seed=config.seed)
    choice_note = None
    kind = wants[0]
    if config.model == "ensemble":
        fits["ensemble"] = combine(fits["linear"], fits["minilm"], y_v, flags_v, categories)
        best_single = max(("linear", "minilm"), key=lambda k: fits[k].score)
        if fits["ensemble"].score > fits[best_single].score:
            kind = "ensemble"
        else:
            kind = best_single
            choice_note = (f"the ensemble ({fits['ensemble'].score:.4f}) did not beat {best_single} "
                           f"({fits[best_single].score:.4f}) on held-out groups, so {best_single} is registered")
            progress(choice_note)
    chosen = fits[kind]
    threshold = threshold_for_recall(flags_v, chosen.p_flag, config.policy.target_recall)
    policy = DecisionPolicy(threshold=round(threshold, 6), flag_band=config.policy.flag_band,
                            category_margin=config.policy.category_margin, target_recall=config.policy.target_recall)
    guard = SafetyGuard()
    guard_v = np.array([bool(guard.check(t)) for t in texts_v])
    y_names = [categories[i] for i in y_v]
    report: dict[str, Any] = {
        "note": "SYNTHETIC data unless lineage says otherwise; scores are out of fold.", "model_kind": kind,
        "model_requested": config.model, "choice_note": choice_note, "fold_kind": fold_kind,
        "families": {k: {"c": f.c, "selection_score": f.score, "scores_by_c": f.scores_by_c,
                         "temperature": f.temperature, "platt": list(f.platt)} for k, f in fits.items()},
        "policy": policy.model_dump()}
    report["held_out_groups"] = _metrics_block("held_out_groups", y_names, flags_v, chosen.p_cat, chosen.p_flag,
                                               categories, policy, guard_v)
    if groups_v:
        per_group = {}
        g = np.array(groups_v)
        for value in sorted(set(groups_v)):
            m = g == value
            per_group[value] = {
                "n": int(m.sum()),
                "macro_f1": category_metrics([y_names[i] for i in np.flatnonzero(m)],
                                             [categories[i] for i in chosen.p_cat[m].argmax(1)], categories,
                                             n_boot=0)["macro_f1"]["value"],
                "flag_recall": flag_metrics(flags_v[m], chosen.p_flag[m] >= policy.threshold)["recall"]["value"]}
        report["held_out_groups"]["by_group"] = per_group
    def refit_on(other_folds: list[np.ndarray]):
        """The chosen kind and C, scored out of fold on other folds (for reporting only)."""
        parts = {}
        for fam in ([kind] if kind != "ensemble" else ["linear", "minilm"]):
            if fam == "linear":
                parts[fam] = validate_linear(texts_v, y_v, flags_v, other_folds, c_grid=(fits[fam].c,),
                                             categories=categories, vec_params=vec_params, seed=config.seed)
            else:
                parts[fam] = validate_minilm(emb_all[sample], y_v, flags_v, other_folds, c_grid=(fits[fam].c,),
                                             categories=categories, seed=config.seed)
        return combine(parts["linear"], parts["minilm"], y_v, flags_v, categories) if kind == "ensemble" else parts[kind]

    registers_v = [data.registers[i] for i in sample] if data.registers else None
    if registers_v and config.validation.group_by != "register" and len(set(registers_v)) >= 2:
        progress("held-out register check: one fold per register")
        reg = refit_on(group_folds(registers_v))
        report["held_out_registers"] = _metrics_block("held_out_registers", y_names, flags_v, reg.p_cat, reg.p_flag,
                                                      categories, policy, guard_v)
    progress(f"in-distribution check: {len(rand_folds)} random folds")
    rand = refit_on(rand_folds)
    report["in_distribution"] = _metrics_block("in_distribution", y_names, flags_v, rand.p_cat, rand.p_flag,
                                               categories, policy, guard_v)
    progress(f"final fit on {n} rows ({kind})")
    scorer = fit_scorer(kind, fits, data.texts, data.categories, data.flags, emb_all, categories=categories,
                        flag_name=taxonomy.flag_name, vec_params=vec_params, seed=config.seed)
    held = report["held_out_groups"]
    metrics = {
        "flag_recall": held["flag_by_score"]["recall"]["value"],
        "flag_precision": held["flag_by_score"]["precision"]["value"],
        "flag_precision_ci_low": held["flag_by_score"]["precision"]["ci_low"],
        "flag_precision_ci_high": held["flag_by_score"]["precision"]["ci_high"],
        "flag_recall_as_advised": held["flag_as_advised"]["recall"]["value"],
        "flag_precision_as_advised": held["flag_as_advised"]["precision"]["value"],
        "macro_f1": held["category"]["macro_f1"]["value"],
        "accuracy": held["category"]["accuracy"]["value"],
        "flag_ece": held["flag_ece"],
        "uncertain_rate": held["uncertain_rate"],
        "in_distribution_macro_f1": report["in_distribution"]["category"]["macro_f1"]["value"],
        "in_distribution_flag_recall": report["in_distribution"]["flag_by_score"]["recall"]["value"],
        "in_distribution_flag_precision": report["in_distribution"]["flag_by_score"]["precision"]["value"],
        **({"held_out_register_macro_f1": report["held_out_registers"]["category"]["macro_f1"]["value"],
            "held_out_register_flag_recall": report["held_out_registers"]["flag_by_score"]["recall"]["value"],
            "held_out_register_flag_precision": report["held_out_registers"]["flag_by_score"]["precision"]["value"]}
           if "held_out_registers" in report else {}),
        "threshold": policy.threshold,
        "target_recall": policy.target_recall,
        "training_rows": n,
    }
    if external is not None:
        progress(f"scoring {len(external.texts)} external narratives (report only)")
        p_cat_e, p_flag_e, _ = scorer.score(external.texts)
        guard_e = np.array([bool(guard.check(t)) for t in external.texts])
        block = _metrics_block("external", external.categories, external.flags, p_cat_e, p_flag_e, categories,
                               policy, guard_e)
        block["source"] = external.lineage["source"]
        by_style = {}
        g = np.array(external.groups or ["all"] * len(external.texts))
        for value in sorted(set(g.tolist())):
            m = np.flatnonzero(g == value)
            by_style[value] = {"n": int(len(m)), "accuracy": float(np.mean(
                np.array(external.categories)[m] == np.array([categories[i] for i in p_cat_e[m].argmax(1)])))}
        block["by_style"] = by_style
        report["external"] = block
        metrics.update({"external_macro_f1": block["category"]["macro_f1"]["value"],
                        "external_flag_recall": block["flag_by_score"]["recall"]["value"],
                        "external_flag_precision": block["flag_by_score"]["precision"]["value"],
                        "external_flag_recall_as_advised": block["flag_as_advised"]["recall"]["value"],
                        "external_flag_precision_as_advised": block["flag_as_advised"]["precision"]["value"]})
    info = {"metrics": metrics, "lineage": data.lineage, "model": kind, "requested": config.model,
            "families": report["families"], "gate": config.gate.model_dump()}
    model = TriageModel(scorer, policy, taxonomy_id=taxonomy.label_id, flag_name=taxonomy.flag_name, info=info,
                        identity_terms=_masker(settings).terms)
    model_dir = model.save(model_dir or Path(tempfile.mkdtemp(prefix="rcrp-train-")) / "triage_model")
    tracking = None
    if log_to_mlflow:
        progress("logging the run and registering the model in MLflow")
        figs = _figures(report)
        example = [data.texts[i] for i in range(min(2, n))]
        tracking = log_training_run_lazy(settings, config=config.model_dump(mode="json"), config_text=config_text,
                                         lineage=data.lineage, metrics=metrics, report=report, model_dir=model_dir,
                                         figures=figs, input_example=example, run_name=f"{kind}")
    return TrainResult(model, model_dir, metrics, report, tracking)


def log_training_run_lazy(settings: Settings, **kwargs) -> dict[str, Any]:
    from rcrp.training.tracking import log_training_run

    return log_training_run(settings, **kwargs)
