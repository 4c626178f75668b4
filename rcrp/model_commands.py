"""``rcrp train``, ``rcrp predict`` and ``rcrp models list|promote``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from rcrp.cli_support import ColumnOpt, _emit_json, _fail, _parse_map, _settings

models_app = typer.Typer(help="The model registry: list versions, promote a challenger to champion.",
                         no_args_is_help=True)


def _say(message: str) -> None:
    typer.secho(message, err=True)


def train(
    data: Annotated[Optional[Path], typer.Option(help="Labelled calls (CSV, JSONL or Parquet); default: a SYNTHETIC corpus.")] = None,
    model: Annotated[Optional[str], typer.Option(help="linear | transformer | ensemble (overrides the config).")] = None,
    config: Annotated[Optional[Path], typer.Option(help="Training config YAML (unknown keys are errors).")] = None,
    column: ColumnOpt = None,
    eval_file: Annotated[Optional[Path], typer.Option("--eval", help="A labelled file scored after training, for the "
                                                      "report only (never used for any choice).")] = None,
    eval_split: Annotated[Optional[str], typer.Option(help="Keep only rows of the --eval file with this 'split'.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the headline results here.")] = None,
) -> None:
    """Train a model, log the run to MLflow and register it as the challenger."""
    from rcrp.models.errors import RcrpError
    from rcrp.training.config import DEFAULT_CONFIG_PATH, load_train_config
    from rcrp.training.train import load_eval_data, load_training_data, train_model

    settings = _settings()
    try:
        cfg = load_train_config(config, model=model)
        config_text = (config or DEFAULT_CONFIG_PATH).read_text(encoding="utf-8")
        if model:
            config_text += f"\n# overridden on the command line: model: {model}\n"
        dataset = load_training_data(settings, cfg, data, _parse_map(column), progress=_say)
        external = load_eval_data(settings, eval_file, split=eval_split) if eval_file else None
        result = train_model(settings, cfg, dataset, config_text=config_text, progress=_say, external=external)
    except RcrpError as exc:
        _fail(exc)
    m = result.metrics
    typer.echo(f"registered {result.tracking['model_uri']} as challenger (run {result.tracking['run_id']}); "
               f"data: {dataset.lineage['source']}{' (SYNTHETIC)' if dataset.lineage['synthetic'] else ''}")
    typer.echo(f"validation ({result.report['fold_kind']}s, out of fold): flag recall {m['flag_recall']:.3f}, precision "
               f"{m['flag_precision']:.3f} [{m['flag_precision_ci_low']:.3f}, {m['flag_precision_ci_high']:.3f}] at "
               f"threshold {m['threshold']:.3f}; macro-F1 {m['macro_f1']:.3f} (in-distribution "
               f"{m['in_distribution_macro_f1']:.3f})")
    if "external_macro_f1" in m:
        typer.echo(f"external ({result.report['external']['source']}): macro-F1 {m['external_macro_f1']:.3f}, flag "
                   f"recall {m['external_flag_recall']:.3f} / precision {m['external_flag_precision']:.3f} by score; "
                   f"recall {m['external_flag_recall_as_advised']:.3f} as advised (with uncertainty and safety rules)")
    if json_out:
        _emit_json({"metrics": m, "tracking": result.tracking, "lineage": dataset.lineage}, json_out)


def predict(
    input: Annotated[Path, typer.Argument(help="Calls to score: JSONL, CSV or Parquet with at least id and narrative.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write suggestions (.jsonl, .csv or .parquet).")],
    model: Annotated[Optional[str], typer.Option(help="models:/NAME@ALIAS, models:/NAME/N or a model directory "
                                                 "[default: RCRP_MODEL_URI, models:/rcrp-triage@champion].")] = None,
    column: ColumnOpt = None,
    rejects: Annotated[Optional[Path], typer.Option(help="Where rejected rows go [default: OUTPUT.rejects.jsonl].")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Narratives per batch.")] = 2_000,
    workers: Annotated[int, typer.Option(min=0, max=64, help="Processes to score on; each loads the model, which "
                                         "pays from tens of thousands of calls. 0: all cores from 20,000 calls, "
                                         "else one.")] = 0,
) -> None:
    """Suggest a category and the police-response flag for each call (narratives are redacted first)."""
    from rcrp.models.errors import RcrpError
    from rcrp.models.call_files import RowWriter, load_calls
    from rcrp.models.registry import load_triage_model
    from rcrp.models.suggestion_pool import SuggestionPool

    settings = _settings()
    try:
        triage = load_triage_model(model or settings.model_uri, settings)
        rejects = rejects or output.with_name(output.name + ".rejects.jsonl")
        loaded = load_calls(input, taxonomy=settings.taxonomy(), max_narrative_chars=settings.max_narrative_chars,
                            column_map=_parse_map(column), rejects_path=rejects, keep_columns=())
    except RcrpError as exc:
        _fail(exc)
    ds = loaded.dataset
    if workers == 0:
        import os

        workers = (os.cpu_count() or 1) if len(ds) >= 20_000 else 1
    written = 0
    batches = ((part["id"], part["narrative"]) for part in
               (ds[start:start + batch_size] for start in range(0, len(ds), batch_size)))
    with RowWriter(output) as writer, SuggestionPool(triage, workers=workers) as pool:
        for rows in pool.rows(batches):
            for row in rows:
                writer.write(row)
                written += 1
    typer.echo(f"wrote {written} suggestions to {output} with {triage.version}; rejected {len(loaded.rejects)} "
               f"rows{f' (see {rejects})' if loaded.rejects else ''}. Advisory only.")


@models_app.command("list")
def list_models(
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the listing as JSON here.")] = None,
) -> None:
    """Registered versions with their aliases and headline metrics."""
    from rcrp.training.model_admin import list_versions

    rows = list_versions(_settings())
    if not rows:
        typer.echo("no registered model versions yet: run 'rcrp train'")
        return
    for r in rows:
        aliases = ",".join(r["aliases"]) or "-"
        m = r["metrics"]
        typer.echo(f"v{r['version']:<4} {aliases:<20} flag recall {m.get('flag_recall', '-'):<7} precision "
                   f"{m.get('flag_precision', '-'):<7} macro-F1 {m.get('macro_f1', '-'):<7} threshold "
                   f"{m.get('threshold', '-'):<7} synthetic={r['synthetic']} "
                   + (f"assessed on {r['assessment'].get('data')} (flip {r['assessment'].get('flip_rate')}, FNR flagged: "
                      f"{r['assessment'].get('flag_fnr_flagged')})" if r.get("assessment") else "not assessed"))
    if json_out:
        _emit_json(rows, json_out)


@models_app.command("promote")
def promote(
    version: Annotated[Optional[str], typer.Option(help="Version to promote [default: the challenger].")] = None,
    override: Annotated[Optional[str], typer.Option(help="Promote despite failed checks; a written justification "
                                                    "(stored with the version).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object (for programs).")] = False,
) -> None:
    """Move the champion alias to a version that passes the promotion gate."""
    from rcrp.models.errors import RcrpError
    from rcrp.training.model_admin import promote_version

    try:
        outcome: dict[str, Any] = promote_version(_settings(), version=version, override=override)
    except RcrpError as exc:
        if as_json:
            typer.echo(json.dumps({"promoted": False, "code": str(exc.code), "message": exc.message, "detail": exc.detail}))
            raise typer.Exit(code=2)
        _fail(exc)
    if as_json:
        typer.echo(json.dumps({"promoted": True, **outcome}))
        return
    for check in outcome["checks"]:
        typer.echo(f"{'PASS' if check['passed'] else 'FAIL'} {check['name']}: {check['detail']}")
    typer.echo(f"champion is now version {outcome['version']}" + (" (override recorded)" if outcome["overridden"] else ""))


def register(app: typer.Typer) -> None:
    app.command()(train)
    app.command()(predict)
    app.add_typer(models_app, name="models")
