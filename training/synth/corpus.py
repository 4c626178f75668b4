"""Write a synthetic corpus to disk, in parallel chunks, deterministically."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rcrp.models.call_files import FileFormat, RowWriter
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.generator import generate_record
from rcrp.training.synth.lexicon import load_lexicon

__all__ = ["CORPUS_SCHEMA", "iter_corpus", "write_corpus"]

_CHUNK = 5_000


def _schema() -> Any:
    import pyarrow as pa

    span = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("type", pa.string())])
    return pa.schema([
        ("id", pa.string()), ("narrative", pa.string()), ("category", pa.string()),
        ("police_response_required", pa.bool_()), ("age_band", pa.string()), ("sex", pa.string()),
        ("ethnicity", pa.string()), ("register", pa.string()), ("family", pa.string()),
        ("facts", pa.list_(pa.string())), ("has_pii", pa.bool_()), ("pii_spans", pa.list_(span)),
        ("label_noise", pa.bool_()), ("bias_injected", pa.bool_()), ("source", pa.string()),
    ])


def __getattr__(name: str) -> Any:  # CORPUS_SCHEMA is built lazily: pyarrow is not needed to import this module
    if name == "CORPUS_SCHEMA":
        return _schema()
    raise AttributeError(name)


def _chunk(args: tuple[SynthConfig, int, int]) -> list[dict[str, Any]]:
    config, start, stop = args
    lex = load_lexicon()
    return [generate_record(i, config, lex).to_row() for i in range(start, stop)]


def iter_corpus(config: SynthConfig, *, workers: int | None = None) -> Iterator[list[dict[str, Any]]]:
    """Yield the corpus as ordered chunks of rows; the same rows whatever ``workers`` is."""
    bounds = [(config, s, min(s + _CHUNK, config.n)) for s in range(0, config.n, _CHUNK)]
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(bounds) <= 1:
        for b in bounds:
            yield _chunk(b)
        return
    with mp.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(workers) as pool:
        yield from pool.imap(_chunk, bounds)


def write_corpus(
    config: SynthConfig, path: str | Path, *, fmt: FileFormat | None = None, workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Generate ``config.n`` records into ``path`` (format from the suffix); returns rows written."""
    with RowWriter(path, fmt=fmt, schema=_schema()) as writer:
        for rows in iter_corpus(config, workers=workers):
            writer.write_many(rows)
            if on_progress:
                on_progress(len(rows))
    return writer.rows_written
