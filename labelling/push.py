"""``rcrp label push``: calls for analysts to review, into Label Studio with the model's suggestion pre-filled.

Three sources: disputed calls from the suggestion service's audit trail (the handler's decision differed
from the suggestion), uncertain predictions on a file of calls, and an active-learning batch from an
unlabelled pool. Every task carries a key naming its source and call (``disputed:<suggestion id>``,
``uncertain:<call id>``, ``pool:<call id>``). A push first reads the keys already in the project and imports
only the others, so pushing twice never duplicates a task; when Label Studio cannot be reached the command
fails with a clear error and what was not imported is imported by the next push, since the sources are read
again. Only redacted text leaves this process (audit text is redacted already and is redacted again, which
changes nothing); subject attributes go in the task's ``meta``, which the labelling interface never shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from rcrp.labelling.interface import CATEGORY, FLAG, FLAG_NO, FLAG_YES, TEXT
from rcrp.labelling.label_studio import LabelStudio

__all__ = ["Candidate", "PushResult", "push", "disputed_candidates", "model_candidates", "task_payload"]

IMPORT_CHUNK = 200  # tasks per import request: a failure mid-way loses nothing, the next push sends the rest


@dataclass(frozen=True)
class Candidate:
    """One call to review. ``text`` is redacted; ``prediction`` is the model's suggestion (category, flag,
    flag score, model version) or None."""

    key: str
    source: str
    text: str
    call_ref: str | None = None
    subject: dict[str, str] = field(default_factory=dict)
    category: str | None = None
    flag: bool | None = None
    score: float | None = None
    model_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class PushResult:
    considered: int
    already_there: int
    imported: int
    task_ids: list[int]


_DISPUTED_REQUIRED = ("suggestion_id", "narrative_redacted")


def disputed_candidates(rows: Iterable[dict[str, Any]]) -> list[Candidate]:
    """Candidates from the rows of the service's ``/v1/audit/disputed`` export (JSON ``rows``); a row without
    a required field is a coded error naming the row and the field."""
    from rcrp.models.errors import ErrorCode, RcrpError

    out = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise RcrpError(ErrorCode.MALFORMED_ROW, detail=f"disputed calls, row {number}")
        for name in _DISPUTED_REQUIRED:
            if not isinstance(row.get(name), str) or not row[name].strip():
                raise RcrpError(ErrorCode.COLUMN_MISSING, detail=f"disputed calls, row {number}: {name}")
        subject = {k.removeprefix("subject_"): v for k, v in row.items() if k.startswith("subject_") and v}
        out.append(Candidate(
            key=f"disputed:{row['suggestion_id']}", source="disputed", text=row["narrative_redacted"],
            call_ref=row.get("call_ref"), subject=subject, category=row.get("category"),
            flag=row.get("police_response_required"), score=row.get("police_response_score"),
            model_version=row.get("model_version"),
            extra={"handler_category": row.get("decided_category"), "handler_police_attend": row.get("police_attend")}))
    return out


def model_candidates(source: str, ids: Sequence[str], redacted: Sequence[str], suggestions: Sequence[dict[str, Any]],
                     subjects: Sequence[dict[str, str]] | None = None) -> list[Candidate]:
    """Candidates from the model's own suggestions (``uncertain`` or ``pool`` source) on redacted texts."""
    subjects = subjects or [{}] * len(ids)
    return [Candidate(key=f"{source}:{i}", source=source, text=t, call_ref=str(i), subject=dict(subj),
                      category=s["category"], flag=s["police_response_required"], score=s["police_response_score"],
                      model_version=s.get("model_version"))
            for i, t, s, subj in zip(ids, redacted, suggestions, subjects)]


def task_payload(c: Candidate, redact, *, show_subject: bool = False) -> dict[str, Any]:
    """The Label Studio task for a candidate: data (redacted text and provenance), meta, pre-annotation."""
    data = {TEXT: redact(c.text), "task_key": c.key, "source": c.source, "call_ref": c.call_ref,
            **{k: v for k, v in c.extra.items() if v is not None}}
    if show_subject:
        data.update({f"subject_{k}": v for k, v in c.subject.items()})
    task: dict[str, Any] = {"data": data, "meta": {"subject": c.subject}}
    if c.category is not None and c.flag is not None:
        task["predictions"] = [{
            "model_version": c.model_version or "unknown",
            "score": float(c.score) if c.score is not None else None,
            "result": [
                {"from_name": CATEGORY, "to_name": TEXT, "type": "choices", "value": {"choices": [c.category]}},
                {"from_name": FLAG, "to_name": TEXT, "type": "choices",
                 "value": {"choices": [FLAG_YES if c.flag else FLAG_NO]}}]}]
    return task


def push(studio: LabelStudio, project: int, candidates: Sequence[Candidate], redact, *,
         show_subject: bool = False) -> PushResult:
    """Import the candidates not yet in ``project`` (by task key); ``redact`` maps a text to its redaction."""
    there = {str(t.get("data", {}).get("task_key")) for t in studio.tasks(project)}
    new, seen = [], set()
    for c in candidates:
        if c.key not in there and c.key not in seen:
            new.append(c)
            seen.add(c.key)
    ids: list[int] = []
    for start in range(0, len(new), IMPORT_CHUNK):
        ids += studio.import_tasks(project, [task_payload(c, redact, show_subject=show_subject)
                                             for c in new[start:start + IMPORT_CHUNK]])
    return PushResult(considered=len(candidates), already_there=len(candidates) - len(new), imported=len(new),
                      task_ids=ids)
