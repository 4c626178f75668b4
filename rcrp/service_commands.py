"""``rcrp serve`` (the suggestion service and handler page) and ``rcrp keys`` (API keys per role)."""

from __future__ import annotations

from typing import Annotated

import typer

from rcrp.cli_support import _settings

keys_app = typer.Typer(help="API keys of the suggestion service, one role each; only hashes are stored.",
                       no_args_is_help=True)
ROLE_HELP = "handler (suggest, decide), analyst (disputed calls), governance (audit, reports), admin (keys, model)"


def _serving_settings():
    from rcrp.serving.settings import ServingSettings

    return _settings(ServingSettings)


def _audit_store(settings):
    """The audit store the settings name, or a clear error (an unreachable or unsupported RCRP_AUDIT_URL)."""
    from rcrp.models.errors import RcrpError
    from rcrp.serving.audit import AuditStore

    try:
        return AuditStore(settings.audit_database_url())
    except RcrpError as exc:
        from rcrp.cli_support import _fail

        _fail(exc)


@keys_app.command("create")
def create_key(role: Annotated[str, typer.Option(help=ROLE_HELP)],
               label: Annotated[str, typer.Option(help="Who or what the key is for.")] = "") -> None:
    """Make a key and print it once."""
    from rcrp.serving.api_keys import ROLES, KeyRing

    if role not in ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(ROLES)}", param_hint="--role")
    store = _audit_store(_serving_settings())
    key_id, key = KeyRing(store.engine).create(role, label)
    typer.echo(f"key {key_id} ({role}): {key}")


@keys_app.command("revoke")
def revoke_key(key_id: Annotated[int, typer.Argument(help="The key's id.")]) -> None:
    """Revoke a key."""
    from rcrp.serving.api_keys import KeyRing

    store = _audit_store(_serving_settings())
    if not KeyRing(store.engine).revoke(key_id):
        typer.secho(f"no active key {key_id}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2)
    typer.echo(f"key {key_id} revoked")


def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000,
          demo_key: Annotated[bool, typer.Option(help="Make a handler key and print it (for a local demo).")] = False,
          workers: Annotated[int, typer.Option(min=1, max=64, help=(
              "Worker processes. More than one uses more cores; each worker then keeps its own model copy, "
              "key cache and metrics (see README)."))] = 1,
          ) -> None:
    """Serve advisory suggestions and the handler page (the live model is models:/rcrp-triage@champion)."""
    run_service(_serving_settings(), host=host, port=port, demo_key=demo_key, workers=workers)


def run_service(settings, *, host: str = "127.0.0.1", port: int = 8000, demo_key: bool = False,
                workers: int = 1) -> None:
    """Run the service with ``settings`` (a ``Settings`` or ``ServingSettings``) until interrupted."""
    import os

    import uvicorn

    from rcrp.serving.api_keys import KeyRing
    from rcrp.serving.app import create_app
    from rcrp.serving.settings import ServingSettings

    if not isinstance(settings, ServingSettings):
        settings = ServingSettings(**settings.model_dump())
    # The audit tables are made here, once, before any worker starts (workers starting together would race).
    store = _audit_store(settings)
    if demo_key:
        _, key = KeyRing(store.engine).create("handler", "demo")
        typer.secho(f"handler page: http://{host}:{port}/  demo handler key: {key}", fg=typer.colors.GREEN, bold=True)
        typer.echo("(advisory suggestions from a model trained on SYNTHETIC data; Ctrl+C stops the service)")
    store.engine.dispose()
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    # Each worker process builds its own app from the environment; these settings are handed on through it,
    # so every worker runs with exactly the settings this command was given.
    for name, value in settings.model_dump().items():
        if value is not None:
            os.environ[f"RCRP_{name.upper()}"] = str(value)
    uvicorn.run("rcrp.serving.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(keys_app, name="keys")
