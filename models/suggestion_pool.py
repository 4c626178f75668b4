"""Suggestions for a batch file on several processes.

Redaction and feature extraction are Python-bound, so one process uses one core; ``SuggestionPool``
spreads batches over worker processes that each load the same model directory. Workers are started
with "spawn", not "fork": a forked child of a process that has run torch deadlocks in OpenMP. Start-up
costs each worker a model load (a few seconds), so it pays only for large files.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from rcrp.models.triage_model import TriageModel

__all__ = ["SuggestionPool"]

_MODEL: TriageModel | None = None


def _start(model_dir: str, version: str) -> None:
    global _MODEL
    _MODEL = TriageModel.load(model_dir, version=version)
    _MODEL.suggest(["warm-up"], ["warm up call"])  # builds the redactor before the first real batch


def _ready(_: int) -> bool:
    return _MODEL is not None


def _rows(batch: tuple[Sequence[str], Sequence[str]]) -> list[dict]:
    ids, narratives = batch
    return _MODEL.suggest_rows(list(ids), list(narratives))


class SuggestionPool:
    """Output rows (``TriageModel.suggest_rows``) for batches of ``(ids, narratives)``, in input order.

    Parameters
    ----------
    model : a loaded model; scored in worker processes, it must have been loaded from a directory
        (``model.source_dir``), which each worker loads again.
    workers : worker processes.
    in_process : score in this process instead (default: when ``workers`` is 1). Benchmarks use a single
        worker process so that every run starts with the same, fresh caches.
    """

    def __init__(self, model: TriageModel, workers: int = 1, *, in_process: bool | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.in_process = workers == 1 if in_process is None else in_process
        if not self.in_process and model.source_dir is None:
            raise ValueError("a model scored in worker processes must have been loaded from a directory")
        self.model = model
        self.workers = workers
        self._pool = None

    def __enter__(self) -> SuggestionPool:
        if not self.in_process:
            from multiprocessing import get_context

            self._pool = get_context("spawn").Pool(self.workers, initializer=_start,
                                                   initargs=(str(self.model.source_dir), self.model.version))
            self._pool.map(_ready, range(4 * self.workers))  # every worker loaded before the first batch
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate() if exc[0] else self._pool.close()
            self._pool.join()
            self._pool = None

    def rows(self, batches: Iterable[tuple[Sequence[str], Sequence[str]]]) -> Iterator[list[dict]]:
        """One list of output rows per batch, in order."""
        if self._pool is None:
            for ids, narratives in batches:
                yield self.model.suggest_rows(list(ids), list(narratives))
        else:
            yield from self._pool.imap(_rows, ((list(i), list(n)) for i, n in batches))
