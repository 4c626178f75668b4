"""Micro-batching of suggestion requests, with group commits of their audit rows.

Scoring one narrative costs several times its share of a batch (sparse-matrix set-up, numpy calls), and
each audit commit waits for the disk. A scoring thread therefore takes every request waiting when it
becomes free and scores them together with the model live at that moment. A commit thread takes every
scored batch waiting, writes all their audit rows in one transaction, and only then answers each request:
durability is unchanged (nothing is acknowledged before its row is committed), while the next batch is
scored during the disk wait, and under load the disk wait and the set-up are shared. With one client
the batch is one request and nothing waits.
"""

from __future__ import annotations

import queue
import threading
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from rcrp.serving.audit import AuditStore, SuggestionRecord
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.live_model import LiveModel, Loaded

__all__ = ["SuggestionBatcher", "Job", "suggestion_batcher"]


@dataclass
class Job:
    narratives: list[str]
    call_refs: list[str | None]
    subjects: list[dict[str, str]]
    role: str
    key_id: int | None
    future: Future  # -> (Loaded, list[dict]): the fields of ``Suggestion``, reasons as dicts


class SuggestionBatcher:
    """Parameters: ``live``, the live model; ``audit``, the store; ``max_narratives``, the most narratives
    scored in one batch."""

    def __init__(self, live: LiveModel, audit: AuditStore, max_narratives: int = 256) -> None:
        self.live, self.audit, self.max_narratives = live, audit, max_narratives
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._scored: queue.Queue[_Scored | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="rcrp-suggestions", daemon=True)
        self._committer = threading.Thread(target=self._commit, name="rcrp-audit-commit", daemon=True)
        self._thread.start()
        self._committer.start()

    def submit(self, narratives: list[str], call_refs: list[str | None], subjects: list[dict[str, str]], *,
               role: str, key_id: int | None) -> Future:
        future: Future = Future()
        self._queue.put(Job(narratives, call_refs, subjects, role, key_id, future))
        return future

    def close(self) -> None:
        self._queue.put(None)  # the scoring thread passes it on to the commit thread when it is done
        self._thread.join(timeout=10)
        self._committer.join(timeout=10)
        # Whatever is still waiting (a thread that did not finish in time) is answered, never left hanging.
        for source in (self._queue, self._scored):
            while True:
                try:
                    item = source.get_nowait()
                except queue.Empty:
                    break
                if isinstance(item, Job) and item.future.set_running_or_notify_cancel():
                    item.future.set_exception(ApiError(503, ApiCode.MODEL_UNAVAILABLE))
                elif isinstance(item, _Scored):
                    _fail(item.batch, ApiError(503, ApiCode.MODEL_UNAVAILABLE))

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and self._committer.is_alive()

    def _run(self) -> None:
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                batch = _take_waiting(self._queue, [job], len(job.narratives), self.max_narratives)
                # A request whose client has gone (its future cancelled) is dropped before any work for it.
                batch = [j for j in batch if j.future.set_running_or_notify_cancel()]
                if batch:
                    self._score_batch(batch)
        finally:
            self._scored.put(None)

    def _score_batch(self, batch: list[Job]) -> None:
        loaded = self.live.current  # one model for the whole batch, even if a new one arrives meanwhile
        try:
            if loaded is None:
                raise ApiError(503, ApiCode.MODEL_UNAVAILABLE)
            results, records = self._score(loaded, batch)
        except Exception as exc:  # every request of the batch gets the failure; none gets a made-up answer
            _fail(batch, exc)
            return
        self._scored.put(_Scored(batch, loaded, results, records))

    def _commit(self) -> None:
        while True:
            first = self._scored.get()
            if first is None:
                return
            group = [first]
            while True:  # every scored batch waiting goes into the same transaction
                try:
                    more = self._scored.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._scored.put(None)  # stop after this group
                    break
                group.append(more)
            try:
                self.audit.add_suggestions([r for scored in group for r in scored.records])
            except Exception as exc:  # nothing of the group is acknowledged: its rows may not be on disk
                for scored in group:
                    _fail(scored.batch, exc)
                continue
            for scored in group:
                for job, suggestions in zip(scored.batch, scored.results):
                    job.future.set_result((scored.loaded, suggestions))

    def _score(self, loaded: Loaded, batch: list[Job]) -> tuple[list[list[dict[str, Any]]], list[SuggestionRecord]]:
        narratives = [n for job in batch for n in job.narratives]
        # Redacted once for the model and the audit where identity masking changes nothing (most calls).
        suggestions, redacted = loaded.model.suggest_for_audit([uuid.uuid4().hex for _ in narratives], narratives)
        records: list[SuggestionRecord] = []
        out: list[list[dict[str, Any]]] = []
        k = 0
        for job in batch:
            mine = suggestions[k:k + len(job.narratives)]
            for s, text, ref, subject in zip(mine, redacted[k:k + len(job.narratives)], job.call_refs, job.subjects):
                records.append(_record(s, text, ref, subject, loaded.label, job.role, job.key_id))
            out.append(mine)
            k += len(job.narratives)
        return out, records


@dataclass
class _Scored:
    batch: list[Job]
    loaded: Loaded
    results: list[list[dict[str, Any]]]
    records: list[SuggestionRecord]


def _take_waiting(source: queue.Queue, batch: list[Job], size: int, limit: int) -> list[Job]:
    """``batch`` and the jobs waiting in ``source``, up to ``limit`` narratives; a stop signal found is put back."""
    while size < limit:
        try:
            more = source.get_nowait()
        except queue.Empty:
            break
        if more is None:
            source.put(None)  # stop after this batch
            break
        batch.append(more)
        size += len(more.narratives)
    return batch


def _fail(batch: list[Job], exc: Exception) -> None:
    for job in batch:
        job.future.set_exception(exc)


def _record(s: dict[str, Any], text: str, call_ref: str | None, subject: dict[str, str], label: str, role: str,
            key_id: Any) -> SuggestionRecord:
    return SuggestionRecord(
        id=s["id"], call_ref=call_ref, narrative_redacted=text, model_version=label, category=s["category"],
        category_scores=s["category_scores"], police_response_required=s["police_response_required"],
        police_response_score=s["police_response_score"], threshold=s["threshold"], uncertain=s["uncertain"],
        reasons=s["reasons"], subject=dict(subject), role=role, key_id=key_id)


def suggestion_batcher(app) -> SuggestionBatcher:
    """The app's batcher, started when first needed, and again after a lifespan shutdown stopped it (a test
    client's start and stop must not leave the app without one)."""
    batcher = app.state.batcher
    if batcher is None or not batcher.running:
        batcher = app.state.batcher = SuggestionBatcher(app.state.live_model, app.state.audit)
    return batcher
