"""Helpers shared by the ``rcrp`` sub-commands: settings, errors, progress bars, JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

__all__ = ["_settings", "_fail", "_parse_map", "_progress", "_emit_json", "ColumnOpt"]


def _settings(kind: type | None = None) -> Any:
    """``kind()`` (default: the core ``Settings``) from the environment; a bad value exits with a clear error
    naming the variable."""
    from pydantic import ValidationError

    from rcrp.models.errors import ErrorCode, RcrpError
    from rcrp.models.settings import Settings

    try:
        return (kind or Settings)()
    except ValidationError as exc:
        first = exc.errors()[0]
        _fail(RcrpError(ErrorCode.SETTINGS_INVALID, detail=f"RCRP_{str(first['loc'][0]).upper()}: {first['msg']}"))


def _fail(exc: Exception) -> None:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


def _parse_map(pairs: list[str] | None, *, option: str = "--column", example: str = "SOURCE_COLUMN=narrative"
               ) -> dict[str, str]:
    """``KEY=VALUE`` option values as a dict; a value without "=" is an error naming the option."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise typer.BadParameter(f"'{pair}' must look like {example}", param_hint=option)
        src, dst = pair.split("=", 1)
        mapping[src.strip()] = dst.strip()
    return mapping


def _progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    disable=not sys.stderr.isatty(), transient=False)


def _emit_json(result: Any, json_out: Path | None) -> None:
    """Print a result as JSON, and also write it to ``json_out`` when given."""
    text = json.dumps(result, indent=2, default=str)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(text, encoding="utf-8")
    typer.echo(text)


ColumnOpt = Annotated[Optional[list[str]], typer.Option(
    "--column", "-c", help="Map a source column to a project column, e.g. -c incident_text=narrative. Repeatable.")]


