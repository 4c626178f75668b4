"""The ``rcrp`` command. Heavy modules are imported inside commands so ``rcrp --help`` stays fast."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

app = typer.Typer(
    name="rcrp",
    help="Advisory triage of health-related police calls under Right Care, Right Person (RCRP).\n\n"
         "All data made by 'rcrp synth' is SYNTHETIC; figures computed on it are not evidence about real calls.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


from rcrp.cli_support import ColumnOpt, _emit_json, _fail, _parse_map, _progress, _settings  # noqa: E402


def _synth_config(config: Path | None, overrides: dict[str, Any]) -> Any:
    """The generator config: a YAML/JSON file, then only the options the user actually gave."""
    import yaml
    from pydantic import ValidationError

    from rcrp.models.errors import ErrorCode, RcrpError
    from rcrp.training.synth.config import SynthConfig

    base: dict[str, Any] = {}
    if config is not None:
        try:
            base = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            _fail(RcrpError(ErrorCode.SYNTH_CONFIG_INVALID, detail=f"{config}: cannot read ({type(exc).__name__})"))
        if not isinstance(base, dict):
            _fail(RcrpError(ErrorCode.SYNTH_CONFIG_INVALID, detail=f"{config}: must be a mapping of settings"))
    try:
        return SynthConfig.model_validate({**base, **{k: v for k, v in overrides.items() if v is not None}})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        _fail(RcrpError(ErrorCode.SYNTH_CONFIG_INVALID, detail=f"{where}: {first['msg']}"))


def _run_synth(cfg: Any, output: Path, workers: int | None) -> None:
    import time

    from rcrp.training.synth.corpus import write_corpus

    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("generating", total=cfg.n)
        written = write_corpus(cfg, output, workers=workers, on_progress=lambda k: progress.advance(task, k))
    took = time.perf_counter() - started
    typer.echo(f"wrote {written} SYNTHETIC records to {output} in {took:.1f}s ({written / took:,.0f} records/s)")


@app.command()
def synth(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write: .jsonl, .csv or .parquet.")] = Path(
        "data/synthetic/corpus.jsonl"),
    n: Annotated[Optional[int], typer.Option("--n", help="Number of records [default: 10000].")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed; the same seed gives the same corpus [default: 13].")] = None,
    pii_rate: Annotated[Optional[float], typer.Option(help="Share of narratives with fictional personal data [default: 1/3].")] = None,
    typo_rate: Annotated[Optional[float], typer.Option(help="Chance that a word gets a typing error [default: 0.01].")] = None,
    label_noise: Annotated[Optional[float], typer.Option(help="Share of records given one wrong label [default: 0].")] = None,
    bias_attribute: Annotated[Optional[str], typer.Option(help="Inject bias against a group: age_band, sex or ethnicity.")] = None,
    bias_value: Annotated[Optional[str], typer.Option(help="The group's value, e.g. black.")] = None,
    bias_effect: Annotated[str, typer.Option(help="implicit_risk or label_flip.")] = "implicit_risk",
    bias_rate: Annotated[float, typer.Option(help="How often the injected bias applies within the group.")] = 0.6,
    registers: Annotated[Optional[str], typer.Option(help="Comma-separated subset of registers to generate.")] = None,
    config: Annotated[Optional[Path], typer.Option(help="YAML/JSON generator config (unknown keys are errors); options given here override it.")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (default: all cores).")] = None,
) -> None:
    """Generate a synthetic, labelled corpus of call narratives (seeded, deterministic)."""
    overrides: dict[str, Any] = {"n": n, "seed": seed, "pii_rate": pii_rate, "typo_rate": typo_rate,
                                 "label_noise": label_noise}
    if bias_attribute or bias_value:
        overrides["bias"] = {"attribute": bias_attribute, "value": bias_value, "effect": bias_effect, "rate": bias_rate}
    if registers:
        overrides["registers"] = tuple(r.strip() for r in registers.split(","))
    _run_synth(_synth_config(config, overrides), output, workers)


@app.command()
def validate(
    input: Annotated[Path, typer.Argument(help="Call file: .csv, .jsonl or .parquet.")],
    labels: Annotated[bool, typer.Option("--labels/--no-labels", help="Require category and flag on every row.")] = False,
    column: ColumnOpt = None,
    rejects: Annotated[Optional[Path], typer.Option(help="Rejects file (JSONL); default beside the input.")] = None,
) -> None:
    """Load and validate a call file; every rejected row is listed with its row number, field and reason."""
    from rcrp.models.call_files import load_calls
    from rcrp.models.errors import RcrpError

    settings = _settings()
    rejects = rejects or input.with_name(input.stem + ".rejects.jsonl")
    try:
        loaded = load_calls(input, taxonomy=settings.taxonomy(), max_narrative_chars=settings.max_narrative_chars,
                            require_labels=labels, column_map=_parse_map(column), rejects_path=rejects)
    except RcrpError as exc:
        _fail(exc)
    _emit_json(loaded.summary(), None)


@app.command()
def redact(
    input: Annotated[Path, typer.Argument(help="Call file: .csv, .jsonl or .parquet.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Redacted call file (format from the suffix).")],
    column: ColumnOpt = None,
    rejects: Annotated[Optional[Path], typer.Option(help="Rejects file (JSONL); default beside the output.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the summary as JSON here.")] = None,
) -> None:
    """Redact personal data from every narrative (one-way): only redacted text is written out.

    If the input carries gold personal-data spans (``pii_spans``, as synthetic corpora do), the redaction
    recall on them is measured and printed.
    """
    from rcrp.models.call_files import RowWriter, load_calls
    from rcrp.models.errors import RcrpError
    from rcrp.models.redaction import default_redactor, evaluate_redaction

    settings = _settings()
    rejects = rejects or output.with_name(output.stem + ".rejects.jsonl")
    try:
        loaded = load_calls(input, taxonomy=settings.taxonomy(), max_narrative_chars=settings.max_narrative_chars,
                            column_map=_parse_map(column), rejects_path=rejects)
    except RcrpError as exc:
        _fail(exc)
    ds = loaded.dataset
    redactor = default_redactor()
    has_gold = "pii_spans" in ds.column_names
    gold: list[tuple[str, list[dict[str, Any]]]] = []
    with _progress() as progress, RowWriter(output) as writer:
        task = progress.add_task("redacting", total=len(ds))
        columns = [c for c in ds.column_names if c != "pii_spans"]
        batch = 1000
        for start in range(0, len(ds), batch):
            chunk = ds[start:start + batch]
            results = list(redactor.redact_many(chunk["narrative"]))
            for i, result in enumerate(results):
                row = {c: chunk[c][i] for c in columns}
                row["narrative"] = result.text
                writer.write(row)
                if has_gold:
                    gold.append((chunk["narrative"][i], chunk["pii_spans"][i]))
            progress.advance(task, len(results))
    summary: dict[str, Any] = {**loaded.summary(), "output": str(output)}
    if has_gold:
        scores = evaluate_redaction(gold, redactor)
        summary["redaction_on_gold_spans"] = scores.to_rows()
    _emit_json(summary, json_out)


@app.command("corpus-report")
def corpus_report_cmd(
    input: Annotated[Path, typer.Argument(help="Labelled call file.")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the report as JSON here.")] = None,
    sample: Annotated[int, typer.Option(help="Rows to analyse at most (leakage analysis is O(rows)).")] = 50_000,
) -> None:
    """Describe a corpus: label and attribute balance, variety, and phrases that give labels away."""
    from rcrp.models.call_files import load_calls
    from rcrp.models.errors import RcrpError
    from rcrp.training.synth.variety import corpus_report, label_leakage

    settings = _settings()
    try:
        loaded = load_calls(input, taxonomy=settings.taxonomy(), max_narrative_chars=settings.max_narrative_chars,
                            require_labels=True, rejects_path=input.with_name(input.stem + ".rejects.jsonl"))
    except RcrpError as exc:
        _fail(exc)
    dataset = loaded.dataset.select(range(min(sample, loaded.accepted)))
    rows = dataset.to_list()
    for row in rows:
        row["has_pii"] = bool(row.get("pii_spans"))
    report = corpus_report(rows, flag_name=settings.taxonomy().flag_name)
    report["load"] = loaded.summary()
    leaks = label_leakage(rows, flag_name=settings.taxonomy().flag_name)
    report["label_leakage"] = {"scaffolding_leaks": leaks["scaffolding_leaks"][:100],
                               "scaffolding_leak_count": len(leaks["scaffolding_leaks"]),
                               "key_term_leak_count": len(leaks["key_term_leaks"]),
                               "min_support_rows": leaks["min_support"], "purity_threshold": leaks["purity"]}
    report["note"] = "SYNTHETIC data: balance and variety describe the generator, not real demand."
    _emit_json(report, json_out)


# Hand-written redaction sets, in the source tree (not installed): dev sets were read while writing the
# rules; the test set was written afterwards by someone who never saw the rules, and is scored, not read.
_REPO_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HANDWRITTEN_REDACTION_SETS = (
    _REPO_DATA / "redaction_handwritten.jsonl",
    _REPO_DATA / "redaction_probes.jsonl",
    _REPO_DATA / "redaction_dev_2026_12.jsonl",
    _REPO_DATA / "redaction_dev_2026_12b.jsonl",
    _REPO_DATA / "redaction_dev_2026_12c.jsonl",
    _REPO_DATA / "redaction_test_2026_12d.jsonl",
)


@app.command("redaction-eval")
def redaction_eval(
    handwritten: Annotated[Optional[list[Path]], typer.Option(
        help="Hand-written snippets with gold spans (JSONL, a 'split' field per row); repeat for several files. "
             "[default: the project's dev and test sets]")] = None,
    generated: Annotated[int, typer.Option(help="Held-out generated records to score (seed differs from training).")] = 5_000,
    seed: Annotated[int, typer.Option(help="Seed of the held-out generated corpus.")] = 424_242,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores as JSON here.")] = None,
) -> None:
    """Measure redaction recall and over-redaction on hand-written and held-out generated data."""
    from rcrp.models.redaction import default_redactor, evaluate_redaction
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    redactor = default_redactor()
    results: dict[str, Any] = {}
    examples: dict[str, list[tuple[str, list]]] = {}
    for path in handwritten or HANDWRITTEN_REDACTION_SETS:
        if not path.exists():
            typer.secho(f"skipping {path}: not found (hand-written sets live in the source tree)", err=True)
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                examples.setdefault(f"handwritten_{row.get('split', 'dev')}", []).append((row["text"], row["pii"]))
    for name in sorted(examples):
        results[name] = evaluate_redaction(examples[name], redactor).to_rows()
    cfg = SynthConfig(n=generated, seed=seed, pii_rate=1.0)
    rows = [r for chunk in iter_corpus(cfg, workers=1) for r in chunk]
    results["generated_heldout"] = evaluate_redaction([(r["narrative"], r["pii_spans"]) for r in rows], redactor).to_rows()
    _emit_json(results, json_out)


@app.command("generalisation-check")
def generalisation_check(
    narratives: Annotated[Path, typer.Option(help="Independent hand-written narratives (JSONL).")] = Path(
        "tests/data/independent_narratives.jsonl"),
    split: Annotated[str, typer.Option(help="Which split to score: test (held out) or dev.")] = "test",
    n: Annotated[int, typer.Option(help="Generated records to train the baseline on.")] = 30_000,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the result as JSON here.")] = None,
) -> None:
    """Train a plain baseline on generated data and score independent narratives (tests the corpus)."""
    from rcrp.training.synth.generalisation import independent_check

    if not narratives.exists():
        _fail(FileNotFoundError(f"{narratives} does not exist"))
    _emit_json(independent_check(narratives, split=split, n=n), json_out)


@app.command()
def demo(
    data_dir: Annotated[Optional[Path], typer.Option(help="Where to put demo outputs (default: settings data_dir).")] = None,
    n: Annotated[int, typer.Option(help="Corpus size.")] = 20_000,
    config: Annotated[Optional[Path], typer.Option(help="Training config [default: training/configs/default.yaml].")] = None,
    serve: Annotated[bool, typer.Option(help="End by serving suggestions and the handler page on localhost.")] = True,
    port: Annotated[int, typer.Option(help="Port of the service.")] = 8000,
    label_studio: Annotated[bool, typer.Option(help="Also start a local Label Studio (make label-studio installs it) "
                                               "and push a first batch of calls to review.")] = False,
    label_studio_port: Annotated[int, typer.Option(help="Port of Label Studio.")] = 8080,
) -> None:
    """The main job on embedded defaults: corpus -> redaction -> training -> assessment and EIA report on a
    held-out split -> promotion through the gate -> suggestions -> the suggestion service and handler page."""
    settings = _settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    root = settings.data_dir
    corpus = root / "synthetic" / "corpus.jsonl"
    redacted = root / "synthetic" / "corpus.redacted.jsonl"
    reports = root / "reports"
    typer.secho("1/9 generating a SYNTHETIC corpus", bold=True)
    _run_synth(_synth_config(None, {"n": n, "seed": 13}), corpus, workers=None)
    # The steps' full JSON goes to files; the terminal gets the headlines.
    with contextlib.redirect_stdout(io.StringIO()):
        typer.secho("2/9 redacting it", bold=True, err=True)
        redact(input=corpus, output=redacted, column=None, rejects=None, json_out=reports / "redaction_of_corpus.json")
        typer.secho("3/9 reporting on the corpus", bold=True, err=True)
        corpus_report_cmd(input=corpus, json_out=reports / "corpus_report.json", sample=n)
        typer.secho("4/9 measuring redaction", bold=True, err=True)
        redaction_eval(handwritten=None, generated=2_000, seed=424_242, json_out=reports / "redaction_eval.json")
    report = json.loads((reports / "corpus_report.json").read_text(encoding="utf-8"))
    scores = json.loads((reports / "redaction_eval.json").read_text(encoding="utf-8"))
    overall = {name: next(r for r in rows if r["type"] == "ALL") for name, rows in scores.items()}
    typer.echo(f"corpus: {report['rows']} SYNTHETIC records, flag true {report['flag_true_share']:.0%}, "
               f"{report['share_with_pii']:.0%} with fictional personal data, vocabulary {report['vocabulary']}")
    for name, row in overall.items():
        typer.echo(f"redaction recall on {name}: {row['recall']:.3f} ({row['removed']}/{row['gold']} strings), "
                   f"over-redaction {row['over_redaction']:.4f}")
    # A fifth of the calls never reach training: the assessment and the EIA report are made on them.
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = len(lines) - len(lines) // 5
    train_file, held_out = corpus.with_suffix(".train.jsonl"), corpus.with_suffix(".held_out.jsonl")
    train_file.write_text("".join(lines[:cut]), encoding="utf-8")
    held_out.write_text("".join(lines[cut:]), encoding="utf-8")
    report_html = _demo_model(settings, train_file, held_out, reports, config)
    typer.secho(f"done: corpus {corpus}, reports in {reports}, MLflow store {settings.tracking_uri()}",
                fg=typer.colors.GREEN)
    if report_html:
        typer.secho(f"EIA evidence report (SYNTHETIC data): {report_html}", fg=typer.colors.GREEN, bold=True)
    studio = None
    if label_studio:
        from rcrp.label_commands import start_demo_labelling

        typer.secho("starting Label Studio and pushing a first batch of calls to review", bold=True)
        studio = start_demo_labelling(settings, held_out, port=label_studio_port)
    try:
        if serve:
            from rcrp.service_commands import run_service

            typer.secho("9/9 starting the suggestion service (Ctrl+C stops it)", bold=True)
            run_service(settings, port=port, demo_key=True)
    finally:
        if studio is not None:
            studio.stop()


def _demo_model(settings: Any, corpus: Path, held_out: Path, reports: Path, config: Path | None = None) -> Path | None:
    from rcrp.models.errors import RcrpError
    from rcrp.models.registry import load_triage_model
    from rcrp.training.config import DEFAULT_CONFIG_PATH, load_train_config
    from rcrp.training.model_admin import promote_version
    from rcrp.training.train import load_eval_data, load_training_data, train_model

    typer.secho(f"5/9 training the linear model on {corpus.name} (validation on held-out situation families) and "
                "registering it", bold=True)
    try:
        cfg = load_train_config(config)
    except RcrpError as exc:
        _fail(exc)
    data = load_training_data(settings, cfg, corpus, progress=lambda m: typer.secho(f"  {m}", err=True))
    independent = _REPO_DATA / "independent_narratives.jsonl"
    external = load_eval_data(settings, independent, split="test") if independent.exists() else None
    result = train_model(settings, cfg, data, config_text=(config or DEFAULT_CONFIG_PATH).read_text(encoding="utf-8"),
                         external=external, progress=lambda m: typer.secho(f"  {m}", err=True))
    m = result.metrics
    (reports / "training.json").write_text(json.dumps({"metrics": m, "tracking": result.tracking}, indent=2),
                                           encoding="utf-8")
    typer.echo(f"model {result.tracking['model_uri']} (challenger), SYNTHETIC training data, out of fold: held-out "
               f"families flag recall {m['flag_recall']:.3f}, precision {m['flag_precision']:.3f}, macro-F1 "
               f"{m['macro_f1']:.3f}; held-out registers macro-F1 {m.get('held_out_register_macro_f1', float('nan')):.3f}; "
               f"in-distribution macro-F1 {m['in_distribution_macro_f1']:.3f}; threshold {m['threshold']:.3f}")
    if external is not None:
        typer.echo(f"on {len(external.texts)} independent hand-written narratives (never used for any choice): "
                   f"macro-F1 {m['external_macro_f1']:.3f}, flag recall {m['external_flag_recall']:.3f} by score, "
                   f"{m['external_flag_recall_as_advised']:.3f} as advised")
    typer.secho(f"6/9 assessing the challenger on {held_out.name}: evaluation, fairness by group, counterfactual "
                "tests, EIA report", bold=True)
    from rcrp.assessment_commands import write_eia_report

    eia = reports / "eia"
    write_eia_report(settings, held_out, model=f"models:/{settings.registered_model}@challenger", output_dir=eia)
    typer.secho("7/9 promotion gate", bold=True)
    try:
        outcome = promote_version(settings)
        typer.echo(f"champion: version {outcome['version']} "
                   f"({', '.join(c['name'] + (' passed' if c['passed'] else ' FAILED') for c in outcome['checks'])})")
    except RcrpError as exc:
        typer.secho(f"not promoted: {exc}", fg=typer.colors.YELLOW)
    typer.secho("8/9 suggestions for the first 1,000 calls of the corpus", bold=True)
    try:
        model = load_triage_model(settings.model_uri, settings)
    except RcrpError as exc:
        typer.secho(f"no suggestions: {exc}", fg=typer.colors.YELLOW)
        return eia / "eia_report.html"
    rows = [json.loads(line) for _, line in zip(range(1000), corpus.open(encoding="utf-8"))]
    out = reports / "suggestions.jsonl"
    suggestions = model.suggest([r["id"] for r in rows], [r["narrative"] for r in rows])
    out.write_text("".join(json.dumps(s.to_row()) + "\n" for s in suggestions), encoding="utf-8")
    raised = sum(s.police_response_required for s in suggestions)
    unsure = sum(s.uncertain for s in suggestions)
    typer.echo(f"{len(suggestions)} advisory suggestions with {model.version} in {out}: flag raised for {raised} "
               f"({unsure} of them marked uncertain, handler judgement required)")
    return eia / "eia_report.html"


from rcrp.assessment_commands import register as _register_assessment_commands  # noqa: E402
from rcrp.model_commands import register as _register_model_commands  # noqa: E402
from rcrp.service_commands import register as _register_service_commands  # noqa: E402
from rcrp.label_commands import register as _register_label_commands  # noqa: E402

_register_model_commands(app)
_register_assessment_commands(app)
_register_service_commands(app)
_register_label_commands(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
