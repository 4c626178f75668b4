"""Micro-batching of suggestion requests, with one audit transaction per batch.

Scoring one narrative costs several times its share of a batch (sparse-matrix set-up, numpy calls), and
each audit commit waits for the disk. One worker thread therefore takes every request waiting when it
becomes free, scores them together with the model live at that moment, writes all their audit rows in a
single transaction, and only then answers each request: durability is unchanged (nothing is acknowledged
before its row is committed), while under load the disk wait and the set-up are shared. With one client
the batch is one request and nothing waits.
"""

from __future__ import annotations

import queue
import threading
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from rcrp.models.suggestion import Suggestion
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
    future: Future  # -> (Loaded, list[Suggestion])


class SuggestionBatcher:
    """Parameters: ``live``, the live model; ``audit``, the store; ``max_narratives``, the most narratives
    scored in one batch."""

    def __init__(self, live: LiveModel, audit: AuditStore, max_narratives: int = 256) -> None:
        self.live, self.audit, self.max_narratives = live, audit, max_narratives
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="rcrp-suggestions", daemon=True)
        self._thread.start()

    def submit(self, narratives: list[str], call_refs: list[str | None], subjects: list[dict[str, str]], *,
               role: str, key_id: int | None) -> Future:
        future: Future = Future()
        self._queue.put(Job(narratives, call_refs, subjects, role, key_id, future))
        return future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            batch, size = [job], len(job.narratives)
            while size < self.max_narratives:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(more)
                size += len(more.narratives)
            # A request whose client has gone (its future cancelled) is dropped before any work is done for it.
            batch = [j for j in batch if j.future.set_running_or_notify_cancel()]
            if batch:
                self._answer(batch)

    def _answer(self, batch: list[Job]) -> None:
        loaded = self.live.current  # one model for the whole batch, even if a new one arrives meanwhile
        try:
            if loaded is None:
                raise ApiError(503, ApiCode.MODEL_UNAVAILABLE)
            results = self._score(loaded, batch)
        except Exception as exc:  # every request of the batch gets the failure; none gets a made-up answer
            for job in batch:
                job.future.set_exception(exc)
            return
        for job, suggestions in zip(batch, results):
            job.future.set_result((loaded, suggestions))

    def _score(self, loaded: Loaded, batch: list[Job]) -> list[list[Suggestion]]:
        model = loaded.model
        narratives = [n for job in batch for n in job.narratives]
        ids = [uuid.uuid4().hex for _ in narratives]
        suggestions = model.suggest(ids, narratives)
        redacted = model.redact(narratives)  # what the audit keeps: the narrative as written, redacted
        records: list[SuggestionRecord] = []
        out: list[list[Suggestion]] = []
        k = 0
        for job in batch:
            mine = suggestions[k:k + len(job.narratives)]
            for s, text, ref, subject in zip(mine, redacted[k:k + len(job.narratives)], job.call_refs, job.subjects):
                records.append(_record(s, text, ref, subject, loaded.label, job.role, job.key_id))
            out.append(mine)
            k += len(job.narratives)
        self.audit.add_suggestions(records)  # committed before any request of the batch is answered
        return out


def _record(s: Suggestion, text: str, call_ref: str | None, subject: dict[str, str], label: str, role: str,
            key_id: Any) -> SuggestionRecord:
    return SuggestionRecord(
        id=s.id, call_ref=call_ref, narrative_redacted=text, model_version=label, category=s.category,
        category_scores=s.category_scores, police_response_required=s.police_response_required,
        police_response_score=s.police_response_score, threshold=s.threshold, uncertain=s.uncertain,
        reasons=[r.model_dump() for r in s.reasons], subject=dict(subject), role=role, key_id=key_id)


def suggestion_batcher(app) -> SuggestionBatcher:
    """The app's batcher, started when first needed, and again after a lifespan shutdown stopped it (a test
    client's start and stop must not leave the app without one)."""
    batcher = app.state.batcher
    if batcher is None or not batcher.running:
        batcher = app.state.batcher = SuggestionBatcher(app.state.live_model, app.state.audit)
    return batcher
