"""``rcrp evaluate``, ``rcrp fairness`` and ``rcrp report``: evidence for governance leads.

All three score a labelled file with a model (default: the champion) exactly as handlers would see it.
``fairness`` and ``report`` record the assessment on the registered version, where the promotion gate
reads it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from rcrp.cli_support import _emit_json, _fail, _parse_map, _settings

__all__ = ["register"]

DataArg = Annotated[Path, typer.Argument(help="Labelled calls (JSONL, CSV or Parquet): id, narrative, category, "
                                              "police_response_required and, for fairness, the subject attributes.")]
ModelOpt = Annotated[Optional[str], typer.Option(help="models:/NAME@ALIAS, models:/NAME/N or a model directory "
                                                      "[default: RCRP_MODEL_URI, models:/rcrp-triage@champion].")]
SplitOpt = Annotated[Optional[str], typer.Option(help="Keep only rows whose 'split' column has this value.")]
OutOpt = Annotated[Optional[Path], typer.Option("--output-dir", help="Where to write [default: DATA_DIR/reports/"
                                                                      "assessment-<model version>].")]


def _band(text: str) -> tuple[float, float]:
    try:
        low, high = (float(x) for x in text.split(","))
    except ValueError:
        raise typer.BadParameter(f"'{text}' must be two numbers LOW,HIGH such as 0.8,1.25", param_hint="--band") from None
    if not 0 < low < 1 < high:
        raise typer.BadParameter(f"'{text}': need 0 < LOW < 1 < HIGH", param_hint="--band")
    return low, high


def _load(model_uri: str | None, data: Path, split: str | None, settings: Any = None):
    """(settings, model, ModelRef or None, calls); errors end the command with a coded message."""
    from rcrp.eval.assessment import load_labelled_calls
    from rcrp.models.errors import RcrpError
    from rcrp.models.registry import load_triage_model, resolve_model

    settings = settings or _settings()
    uri = model_uri or settings.model_uri
    try:
        ref = resolve_model(uri, settings) if uri.startswith("models:/") else None
        # The version, not the alias: the alias could move while this runs.
        model = load_triage_model(f"models:/{ref.name}/{ref.version}" if ref else uri, settings)
        if ref:
            model.version = ref.label
        calls = load_labelled_calls(data, settings, split=split)
    except RcrpError as exc:
        _fail(exc)
    return settings, model, ref, calls


def _output_dir(settings: Any, out: Path | None, model: Any) -> Path:
    name = "assessment-" + "".join(c if c.isalnum() else "-" for c in model.version).strip("-")
    return out or settings.data_dir / "reports" / name


def evaluate(data: DataArg, model: ModelOpt = None, split: SplitOpt = None, output_dir: OutOpt = None,
             n_boot: Annotated[int, typer.Option(min=50, help="Bootstrap resamples for the intervals.")] = 1000,
             json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the result as JSON here.")] = None,
             ) -> None:
    """Per-category and flag metrics with bootstrap intervals and counts, calibration and plots."""
    from rcrp.eval import plots
    from rcrp.eval.evaluation import evaluate_suggestions

    settings, triage, _, calls = _load(model, data, split)
    s = triage.suggest(calls.ids, calls.narratives)
    result = evaluate_suggestions(calls.categories, calls.flags, [x.category for x in s],
                                  [x.police_response_required for x in s], [x.police_response_score for x in s],
                                  triage.policy.threshold, [max(x.category_scores.values()) for x in s],
                                  list(triage.categories), uncertain=[x.uncertain for x in s], n_boot=n_boot)
    result = {"model": triage.version, "data": calls.source, "synthetic": calls.synthetic, **result}
    out = _output_dir(settings, output_dir, triage)
    out.mkdir(parents=True, exist_ok=True)
    (out / "evaluation.json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    cal = result["calibration"]["flag"]
    (out / "reliability.png").write_bytes(plots.reliability_png(cal["bins"], cal["ece"], synthetic=calls.synthetic))
    cm = result["category"]["confusion"]
    (out / "confusion.png").write_bytes(plots.confusion_png(cm["labels"], cm["matrix"], synthetic=calls.synthetic))
    flag = result["flag_as_advised"]
    typer.echo(f"{'SYNTHETIC data: ' if calls.synthetic else ''}{len(calls.ids)} calls, model {triage.version}: "
               f"flag recall {_fmt(flag['recall'])}, false-negative rate {_fmt(flag['false_negative_rate'])}, "
               f"false-positive rate {_fmt(flag['false_positive_rate'])}, macro-F1 "
               f"{result['category']['macro_f1']['value']:.3f}; written to {out}")
    if json_out:
        _emit_json(result, json_out)


def _fmt(r: dict) -> str:
    return "-" if r["value"] is None else f"{r['value']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}] ({r['successes']}/{r['trials']})"


def _assess(data, model, split, band, min_group_size, reference, lexicon, sample, n_boot, settings=None):
    from rcrp.eval.assessment import assess
    from rcrp.eval.counterfactual import load_lexicon
    from rcrp.eval.fairness import FairnessConfig

    try:  # options first: a bad option is reported before any model is loaded
        config = FairnessConfig(band=_band(band), min_group_size=min_group_size, reference=_parse_map(reference, option="--reference", example="ethnicity=white"),
                                n_boot=n_boot)
        words = load_lexicon(lexicon or [])
    except (ValueError, OSError) as exc:
        raise typer.BadParameter(str(exc)) from None
    settings, triage, ref, calls = _load(model, data, split, settings)
    return settings, triage, ref, assess(triage, calls, fairness=config, lexicon=words, counterfactual_sample=sample,
                                         n_boot=n_boot)


BandOpt = Annotated[str, typer.Option(help="Screening band for the ratio to the reference group, LOW,HIGH.")]
MinOpt = Annotated[int, typer.Option(min=1, help="Smallest denominator (calls) for a group's rate to be judged.")]
RefOpt = Annotated[Optional[list[str]], typer.Option("--reference", help="Reference group, e.g. ethnicity=white "
                                                                        "[default: the largest]. Repeatable.")]
LexOpt = Annotated[Optional[list[Path]], typer.Option("--lexicon", help="Extra identity-term YAML (same shape as "
                                                                         "the packaged one). Repeatable.")]
SampleOpt = Annotated[int, typer.Option(min=1, help="Narratives given the counterfactual tests.")]
RecordOpt = Annotated[bool, typer.Option(help="Record the result on the registered version (the gate reads it).")]


def fairness(data: DataArg, model: ModelOpt = None, split: SplitOpt = None, band: BandOpt = "0.8,1.25",
             min_group_size: MinOpt = 30, reference: RefOpt = None, lexicon: LexOpt = None,
             sample: SampleOpt = 300, n_boot: Annotated[int, typer.Option(min=50)] = 1000,
             output_dir: OutOpt = None, record: RecordOpt = True) -> None:
    """Rates by age band, sex, ethnicity and their intersections; disparities; counterfactual tests."""
    settings, triage, ref, a = _assess(data, model, split, band, min_group_size, reference, lexicon, sample, n_boot)
    out = _output_dir(settings, output_dir, triage)
    files = a.save(out)
    _finish(settings, ref, a, files, record)


def report(data: DataArg, model: ModelOpt = None, split: SplitOpt = None, band: BandOpt = "0.8,1.25",
           min_group_size: MinOpt = 30, reference: RefOpt = None, lexicon: LexOpt = None,
           sample: SampleOpt = 300, n_boot: Annotated[int, typer.Option(min=50)] = 1000,
           output_dir: OutOpt = None, record: RecordOpt = True) -> None:
    """The EIA evidence report (HTML and Markdown), model card and ATRS tier-2 record for a model."""
    write_eia_report(None, data, model=model, split=split, band=band, min_group_size=min_group_size,
                     reference=reference, lexicon=lexicon, sample=sample, n_boot=n_boot, output_dir=output_dir,
                     record=record)


def write_eia_report(settings: Any, data: Path, *, model: str | None = None, split: str | None = None,
                     band: str = "0.8,1.25", min_group_size: int = 30, reference: list[str] | None = None,
                     lexicon: list[Path] | None = None, sample: int = 300, n_boot: int = 1000,
                     output_dir: Path | None = None, record: bool = True) -> Path:
    """``rcrp report`` with explicit settings (the demo passes its own); returns the HTML report's path."""
    from rcrp.eval.report import write_report

    settings, triage, ref, a = _assess(data, model, split, band, min_group_size, reference, lexicon, sample, n_boot,
                                       settings)
    out = _output_dir(settings, output_dir, triage)
    files = a.save(out)
    files.update(write_report(a, out, _provenance(settings, ref, triage)))
    files["figures"] = out / "eia_report_files"
    _finish(settings, ref, a, files, record)
    typer.echo(f"EIA report: {files['html']} (and {files['markdown'].name}, {files['model_card'].name}, "
               f"{files['atrs'].name})")
    return files["html"]


def _provenance(settings: Any, ref: Any, triage: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"model": triage.version, "tracking store": settings.tracking_uri()}
    if ref and ref.run_id:
        from rcrp.models.registry import mlflow_client

        run = mlflow_client(settings).get_run(ref.run_id)
        out["MLflow run"] = ref.run_id
        for key in ("flag_recall", "flag_precision", "macro_f1", "threshold"):
            if key in run.data.metrics:
                out[f"training validation {key}"] = round(run.data.metrics[key], 4)
        out["training data sha256"] = run.data.tags.get("rcrp.data_sha256", "-")
        out["training data synthetic"] = run.data.tags.get("rcrp.synthetic", "-")
    return out


def _finish(settings: Any, ref: Any, a: Any, files: dict[str, Path], record: bool) -> None:
    h = a.headline()
    synthetic = "SYNTHETIC data: " if a.data["synthetic"] else ""
    typer.echo(f"{synthetic}{a.data['rows']} calls, model {a.model['version']}: flag recall {h['recall']:.3f}; "
               f"{h['flagged']} of {h['comparisons']} group comparisons flagged"
               + (f" (flag false-negative rate: {', '.join(h['flag_fnr_flagged_groups'])})" if h["flag_fnr_flagged_groups"] else "")
               + f"; counterfactual flip rate {h['flip_rate']:.3f} (worst: {h['worst_flip_dimension']} "
               f"{h['worst_flip_rate']:.3f}); current-risk wording lowered the score in "
               f"{a.counterfactual['current_risk']['score_lowered']['successes']} checks")
    if a.fairness.get("attributes_not_judged"):
        typer.secho(f"warning: no group comparison possible for {', '.join(a.fairness['attributes_not_judged'])} "
                    "(fewer than two groups with enough calls)", fg=typer.colors.YELLOW, err=True)
    typer.echo(f"written to {files['assessment'].parent}")
    if record and ref is not None:
        from rcrp.eval.records import record_assessment

        path = record_assessment(settings, ref, a, files)
        typer.echo(f"recorded on {ref.name} version {ref.version} (run artifacts {path}); the promotion gate reads it")


def register(app: typer.Typer) -> None:
    app.command()(evaluate)
    app.command()(fairness)
    app.command()(report)
