"""``rcrp label``: the analysts' review loop in Label Studio (``studio``, ``push``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from rcrp.cli_support import _fail, _settings

label_app = typer.Typer(help="Review of disputed and uncertain calls in Label Studio.", no_args_is_help=True)


def _labelling_settings():
    from rcrp.labelling.settings import LabellingSettings

    return _settings(LabellingSettings)


def _studio(settings):
    from rcrp.labelling.label_studio import LabelStudio
    from rcrp.labelling.studio_server import studio_login

    token = settings.label_studio_token or studio_login(settings)["token"]
    return LabelStudio(settings.label_studio_url, token)


@label_app.command("studio")
def studio(port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8080) -> None:
    """Start a local Label Studio (loopback, data folder under RCRP_DATA_DIR) and keep it running."""
    from rcrp.labelling.studio_server import start_label_studio
    from rcrp.models.errors import RcrpError

    settings = _labelling_settings()
    try:
        server = start_label_studio(settings, port=port)
    except RcrpError as exc:
        _fail(exc)
    typer.secho(f"Label Studio: {server.url}  login: {server.username}  password: {server.password}", bold=True)
    typer.echo(f"(API token and login kept in {settings.label_studio_dir() / 'login.json'}; Ctrl+C stops it)")
    try:
        server.process.wait()
    except KeyboardInterrupt:
        server.stop()


@label_app.command("backend")
def backend(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
            port: Annotated[int, typer.Option(help="Port.")] = 9090) -> None:
    """Serve Label Studio's ML-backend protocol from the champion (connect it in the project's settings)."""
    import uvicorn

    from rcrp.labelling.ml_backend import create_ml_backend

    uvicorn.run(create_ml_backend(_labelling_settings()), host=host, port=port, log_level="warning")


@label_app.command("push")
def push(
    disputed: Annotated[bool, typer.Option(help="Disputed calls from the service (RCRP_SERVICE_URL, RCRP_ANALYST_KEY).")] = False,
    disputed_file: Annotated[Optional[Path], typer.Option(help="Disputed calls from a /v1/audit/disputed JSON export.")] = None,
    uncertain: Annotated[Optional[Path], typer.Option(help="A calls file: push the calls the champion is uncertain about.")] = None,
    pool: Annotated[Optional[Path], typer.Option(help="A calls file of unlabelled calls: push an active-learning batch.")] = None,
    strategy: Annotated[str, typer.Option(help="least_confidence, margin, entropy, diverse or random.")] = "entropy",
    k: Annotated[int, typer.Option(min=1, help="Calls in the active-learning batch.")] = 50,
    seed: Annotated[int, typer.Option(help="Seed of the random and tie-breaking choices.")] = 0,
    show_subject: Annotated[bool, typer.Option(help="Show subject attributes to annotators (hidden by default).")] = False,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the outcome as JSON here.")] = None,
) -> None:
    """Push review tasks to Label Studio with the model's suggestion pre-filled; idempotent."""
    from rcrp.labelling.active_learning import STRATEGIES
    from rcrp.labelling.interface import labelling_config
    from rcrp.labelling.push import disputed_candidates, push as push_tasks
    from rcrp.labelling.sources import pool_from_calls, read_disputed, uncertain_from_calls
    from rcrp.models.errors import RcrpError
    from rcrp.models.redaction import redact_narrative

    if strategy not in STRATEGIES:
        raise typer.BadParameter(f"must be one of {', '.join(STRATEGIES)}", param_hint="--strategy")
    if not (disputed or disputed_file or uncertain or pool):
        raise typer.BadParameter("give at least one source", param_hint="--disputed/--disputed-file/--uncertain/--pool")
    settings = _labelling_settings()
    taxonomy = settings.taxonomy()
    try:
        candidates = []
        if disputed or disputed_file:
            candidates += disputed_candidates(read_disputed(file=disputed_file, service_url=settings.service_url,
                                                            analyst_key=settings.analyst_key))
        if uncertain or pool:
            from rcrp.models.call_files import load_calls
            from rcrp.models.registry import load_triage_model

            model = load_triage_model(settings.model_uri, settings)
            for path, source in ((uncertain, "uncertain"), (pool, "pool")):
                if path is None:
                    continue
                calls = load_calls(path, taxonomy=taxonomy, max_narrative_chars=settings.max_narrative_chars).dataset
                ids, texts = [str(i) for i in calls["id"]], list(calls["narrative"])
                subjects = [{a: row[a] for a in taxonomy.attribute_names if row.get(a)} for row in calls]
                candidates += (uncertain_from_calls(model, ids, texts, subjects) if source == "uncertain"
                               else pool_from_calls(model, ids, texts, k, strategy, seed=seed, subjects=subjects))
        with _studio(settings) as studio:
            project = studio.project(settings.label_studio_project, labelling_config(taxonomy))
            outcome = push_tasks(studio, project, candidates, redact_narrative, show_subject=show_subject)
    except RcrpError as exc:
        _fail(exc)
    by_source: dict[str, int] = {}
    for c in candidates:
        by_source[c.source] = by_source.get(c.source, 0) + 1
    typer.echo(f"project {project}: {outcome.imported} tasks imported, {outcome.already_there} already there "
               f"({', '.join(f'{n} {s}' for s, n in sorted(by_source.items())) or 'no candidates'})")
    if json_out:
        json_out.write_text(json.dumps({"project": project, "imported": outcome.imported,
                                        "already_there": outcome.already_there, "task_ids": outcome.task_ids,
                                        "candidates_by_source": by_source}), encoding="utf-8")


@label_app.command("pull")
def pull(
    rule: Annotated[str, typer.Option(help="unanimous, majority or senior (a senior annotator decides).")] = "majority",
    senior: Annotated[Optional[list[str]], typer.Option(help="A senior annotator's email (repeatable).")] = None,
    min_annotators: Annotated[int, typer.Option(min=1, help="Calls with fewer annotations go to the conflicts.")] = 1,
    merge_with: Annotated[Optional[Path], typer.Option(help="Earlier labelled data (a version folder, .parquet, "
                                                       ".jsonl or .csv) to merge; newer labels win.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the outcome as JSON here.")] = None,
) -> None:
    """Fetch annotations, compute agreement, adjudicate, and write a new immutable labelled-dataset version."""
    from rcrp.labelling.adjudication import RULES
    from rcrp.labelling.interface import labelling_config
    from rcrp.labelling.pull import collect, write_version
    from rcrp.models.errors import RcrpError

    if rule not in RULES:
        raise typer.BadParameter(f"must be one of {', '.join(RULES)}", param_hint="--rule")
    if rule == "senior" and not senior:
        raise typer.BadParameter("the senior rule needs at least one --senior", param_hint="--senior")
    settings = _labelling_settings()
    taxonomy = settings.taxonomy()
    try:
        with _studio(settings) as studio:
            project = studio.project(settings.label_studio_project, labelling_config(taxonomy))
            result = collect(studio, project, taxonomy, rule=rule, seniors=senior or (), min_annotators=min_annotators)
        folder, written = write_version(result, settings.data_dir / "labelled", taxonomy, merge_with=merge_with,
                                        provenance={"rule": rule, "seniors": senior or [],
                                                    "label_studio": {"url": settings.label_studio_url,
                                                                     "project": project}})
    except RcrpError as exc:
        _fail(exc)
    typer.echo(f"{result.tasks_annotated} annotated calls: {len(result.rows)} labelled by the {rule} rule, "
               f"{len(result.conflicts)} for senior review; "
               + (f"new dataset version {folder}" if written else f"no change since {folder}"))
    for row in result.agreement:
        if row["measure"] == "krippendorff_alpha":
            value = "n/a" if row["value"] is None else f"{row['value']:.3f}"
            typer.echo(f"  {row['field']}: Krippendorff's alpha {value} over {row['units']} calls")
    if json_out:
        json_out.write_text(json.dumps({"version": str(folder), "written": written, "labelled": len(result.rows),
                                        "conflicts": result.conflicts, "agreement": result.agreement}, default=str),
                            encoding="utf-8")


@label_app.command("retrain")
def retrain(
    version: Annotated[Optional[str], typer.Option(help="Labelled-dataset version (vNNNN); default: the newest.")] = None,
    base: Annotated[Optional[Path], typer.Option(help="Earlier labelled calls to train on as well (CSV, JSONL or "
                                                 "Parquet); analysts' labels win for the same id.")] = None,
    config: Annotated[Optional[Path], typer.Option(help="Training config YAML.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the outcome as JSON here.")] = None,
) -> None:
    """Train a challenger on a labelled-dataset version (with --base merged in), log its lineage, run the gate.

    Nothing is promoted unless RCRP_LABELLING_AUTO_PROMOTE is true and the gate passes."""
    from rcrp.labelling.pull import latest_version
    from rcrp.labelling.training_data import merged_training_file
    from rcrp.models.errors import ErrorCode, RcrpError
    from rcrp.models.registry import mlflow_client
    from rcrp.training.config import DEFAULT_CONFIG_PATH, load_train_config
    from rcrp.training.model_admin import promote_version
    from rcrp.training.train import load_training_data, train_model

    settings = _labelling_settings()
    root = settings.data_dir / "labelled"
    folder = root / version if version else latest_version(root)
    if folder is None or not (folder / "manifest.json").exists():
        _fail(RcrpError(ErrorCode.TRAINING_DATA_INVALID, detail=f"no labelled-dataset version {version or ''} in {root} "
                                                                f"(rcrp label pull makes one)"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    try:
        data_file = merged_training_file(folder, base, root / "training") if base else folder / "labels.parquet"
        cfg = load_train_config(config)
        dataset = load_training_data(settings, cfg, data_file, progress=lambda m: typer.secho(m, err=True))
        result = train_model(settings, cfg, dataset, config_text=(config or DEFAULT_CONFIG_PATH).read_text(encoding="utf-8"),
                             progress=lambda m: typer.secho(m, err=True))
        run_id = result.tracking["run_id"]
        client = mlflow_client(settings)
        client.set_tag(run_id, "rcrp.labelled_dataset.version", manifest["version"])
        client.set_tag(run_id, "rcrp.labelled_dataset.labels_sha256", manifest["labels_sha256"])
        client.set_tag(run_id, "rcrp.labelled_dataset.content_sha256", manifest["content_sha256"])
        if base:
            client.set_tag(run_id, "rcrp.labelled_dataset.base", Path(base).name)
        client.log_artifact(run_id, str(folder / "manifest.json"), artifact_path="labelled_dataset")
        gate = promote_version(settings, version=result.tracking["version"], check_only=True)
        if settings.labelling_auto_promote and gate["passed"]:
            gate = promote_version(settings, version=result.tracking["version"])
    except RcrpError as exc:
        _fail(exc)
    m = result.metrics
    typer.echo(f"challenger {result.tracking['model_uri']} trained on {manifest['version']} "
               f"({manifest['rows']} analyst labels{' + ' + Path(base).name if base else ''}); validation flag recall "
               f"{m['flag_recall']:.3f}, macro-F1 {m['macro_f1']:.3f}")
    verdict = "passed" if gate["passed"] else "FAILED: " + "; ".join(c["name"] for c in gate["checks"] if not c["passed"])
    typer.echo(f"promotion gate {verdict}; " + ("promoted to champion" if gate["promoted"] else
                                                "not promoted (rcrp models promote decides)"))
    if json_out:
        json_out.write_text(json.dumps({"tracking": result.tracking, "metrics": m, "gate": gate,
                                        "labelled_dataset": manifest["version"], "data_file": str(data_file)},
                                       default=str), encoding="utf-8")


def start_demo_labelling(settings, calls_file: Path, *, port: int, limit: int = 50):
    """For ``rcrp demo --label-studio``: a local Label Studio with a first batch pushed (the champion's uncertain
    calls and an active-learning batch from the held-out calls). Returns the running server, or None."""
    from rcrp.labelling.interface import labelling_config
    from rcrp.labelling.label_studio import LabelStudio
    from rcrp.labelling.push import push as push_tasks
    from rcrp.labelling.settings import LabellingSettings
    from rcrp.labelling.sources import pool_from_calls, uncertain_from_calls
    from rcrp.labelling.studio_server import start_label_studio
    from rcrp.models.errors import RcrpError
    from rcrp.models.redaction import redact_narrative
    from rcrp.models.registry import load_triage_model

    lsettings = LabellingSettings(**settings.model_dump())
    try:
        server = start_label_studio(lsettings, port=port)
    except RcrpError as exc:
        typer.secho(f"Label Studio not started: {exc}", fg=typer.colors.YELLOW)
        return None
    try:
        rows = [json.loads(line) for _, line in zip(range(2_000), calls_file.open(encoding="utf-8"))]
        ids, texts = [str(r["id"]) for r in rows], [r["narrative"] for r in rows]
        model = load_triage_model(settings.model_uri, settings)
        candidates = (uncertain_from_calls(model, ids, texts, limit=limit)
                      + pool_from_calls(model, ids, texts, limit, "diverse"))
        with LabelStudio(server.url, server.token) as studio:
            project = studio.project(lsettings.label_studio_project, labelling_config(lsettings.taxonomy()))
            outcome = push_tasks(studio, project, candidates, redact_narrative)
    except Exception as exc:  # noqa: BLE001 - the server is running: hand it back so that the demo stops it
        typer.secho(f"no first batch pushed: {exc if isinstance(exc, RcrpError) else type(exc).__name__}",
                    fg=typer.colors.YELLOW)
        return server
    typer.secho(f"Label Studio: {server.url}  login: {server.username}  password: {server.password}  "
                f"({outcome.imported} SYNTHETIC calls to review in project {project})", fg=typer.colors.GREEN, bold=True)
    return server


def register(app: typer.Typer) -> None:
    app.add_typer(label_app, name="label")
