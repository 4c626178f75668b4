"""``rcrp label pull``: completed annotations out of Label Studio, agreement, adjudication, and an immutable,
versioned labelled dataset that ``rcrp train --data`` reads.

Each pull that changes anything writes ``DATA_DIR/labelled/vNNNN/``: ``labels.parquet`` (written by the
``datasets`` library; the columns ``rcrp train`` needs plus provenance per label: annotators, their number,
agreement per field, rule, source, Label Studio task and project), ``manifest.json`` (counts, the file's
SHA-256, agreement figures, the rule, the parent dataset when merged) and ``conflicts.json`` (the calls for
senior review). Files are made read-only and a version is never rewritten; a pull that would give the same
labels as the newest version writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from rcrp.labelling.adjudication import Annotation, adjudicate, parse_annotation
from rcrp.labelling.agreement import agreement_table
from rcrp.labelling.interface import TEXT
from rcrp.labelling.label_studio import LabelStudio
from rcrp.models.taxonomy import Taxonomy

__all__ = ["PullResult", "collect", "write_version", "latest_version", "read_labelled_rows"]


@dataclass
class PullResult:
    rows: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    agreement: list[dict[str, Any]]
    tasks_annotated: int


def collect(studio: LabelStudio, project: int, taxonomy: Taxonomy, *, rule: str, seniors: Sequence[str] = (),
            min_annotators: int = 1, redact=None) -> PullResult:
    """Annotations of ``project`` adjudicated by ``rule``: decided rows, conflicts and agreement figures.
    ``redact`` (default: the project's redaction) is applied to every text: a task made in Label Studio by
    hand was never redacted, and redacting redacted text changes nothing."""
    if redact is None:
        from rcrp.models.redaction import redact_narrative as redact
    users = studio.users()
    rows, conflicts = [], []
    fields: dict[str, dict[Any, dict[str, Any]]] = {"category": {}, "police_response": {}}
    annotated = 0
    for task in studio.tasks(project, fields="all"):
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not done:
            continue
        annotated += 1
        notes = [parse_annotation(a.get("result") or [], _who(a.get("completed_by"), users), taxonomy.category_names)
                 for a in done]
        for a in notes:
            if a.category is not None:
                fields["category"].setdefault(task["id"], {})[a.annotator] = a.category
            if a.flag is not None:
                fields["police_response"].setdefault(task["id"], {})[a.annotator] = a.flag
        verdict = adjudicate(notes, rule, seniors=seniors)
        data = task.get("data") or {}
        if verdict.decided and len(notes) < min_annotators:
            verdict = type(verdict)(None, None, f"fewer than {min_annotators} annotators")
        if not verdict.decided:
            conflicts.append({"task": task["id"], "task_key": data.get("task_key"), "reason": verdict.conflict,
                              "labels": [_shown(a) for a in notes]})
            continue
        subject = (task.get("meta") or {}).get("subject") or {}
        rows.append({
            "id": str(data.get("task_key") or f"label-studio:{task['id']}"), "narrative": redact(str(data.get(TEXT) or "")),
            "call_ref": None if data.get("call_ref") is None else str(data.get("call_ref")),
            "category": verdict.category, taxonomy.flag_name: verdict.flag,
            **{name: subject[name] for name in taxonomy.attribute_names if subject.get(name)},
            "annotators": sorted(a.annotator for a in notes), "n_annotators": len(notes),
            "agreement_category": _share(notes, lambda a: a.category == verdict.category),
            "agreement_flag": _share(notes, lambda a: a.flag == verdict.flag),
            "adjudication_rule": rule, "source": str(data.get("source") or "label_studio"),
            "label_studio_task": int(task["id"]), "label_studio_project": int(project)})
    return PullResult(rows, conflicts, agreement_table(fields), annotated)


def latest_version(root: Path) -> Path | None:
    versions = sorted(p for p in Path(root).glob("v[0-9][0-9][0-9][0-9]") if (p / "manifest.json").exists())
    return versions[-1] if versions else None


def write_version(result: PullResult, root: Path, taxonomy: Taxonomy, *, provenance: dict[str, Any],
                  merge_with: Path | None = None) -> tuple[Path, bool]:
    """Write a new version under ``root`` unless its labels equal the newest one's; returns (folder, written)."""
    import datasets

    rows = list(result.rows)
    parent = None
    if merge_with is not None:
        source = _labels_file(merge_with)
        earlier = list(_read_rows(source))
        mine = {r["id"] for r in rows}
        rows = [r | {"id": str(r.get("id"))} for r in earlier if str(r.get("id")) not in mine] + rows  # newer wins
        parent = {"path": str(source), "sha256": _sha256(source), "rows": len(earlier)}
    rows.sort(key=lambda r: str(r["id"]))
    content = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
    root = Path(root)
    newest = latest_version(root)
    if newest is not None and json.loads((newest / "manifest.json").read_text())["content_sha256"] == content:
        return newest, False
    taken = [int(p.name[1:]) for p in root.glob("v[0-9][0-9][0-9][0-9]")]  # a half-written one counts too
    folder = root / f"v{max(taken, default=0) + 1:04d}"
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=root))
    columns = ["id", "call_ref", "narrative", "category", taxonomy.flag_name, *taxonomy.attribute_names, "annotators",
               "n_annotators", "agreement_category", "agreement_flag", "adjudication_rule", "source",
               "label_studio_task", "label_studio_project"]
    table = {c: [r.get(c) for r in rows] for c in columns}
    try:
        datasets.Dataset.from_dict(table).to_parquet(str(staging / "labels.parquet"))
    except Exception as exc:  # noqa: BLE001 - e.g. earlier rows whose columns do not fit these
        shutil.rmtree(staging, ignore_errors=True)
        from rcrp.models.errors import ErrorCode, RcrpError

        raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"--merge-with: rows do not fit ({type(exc).__name__})") from None
    manifest = {"version": folder.name, "created_at": datetime.now(timezone.utc).isoformat(), "rows": len(rows),
                "new_labels": len(result.rows), "conflicts": len(result.conflicts), "content_sha256": content,
                "labels_sha256": _sha256(staging / "labels.parquet"), "taxonomy": taxonomy.label_id,
                "tasks_annotated": result.tasks_annotated, "agreement": result.agreement, "parent": parent,
                "redacted": True, **provenance}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    (staging / "conflicts.json").write_text(json.dumps(result.conflicts, indent=2), encoding="utf-8")
    for path in staging.iterdir():
        os.chmod(path, 0o444)  # a version is a record: read-only once written
    staging.rename(folder)  # all or nothing: a failed write leaves no half version behind
    return folder, True


def _labels_file(path: Path) -> Path:
    """A version folder's labels file, or the file itself."""
    path = Path(path)
    return path / "labels.parquet" if path.is_dir() else path


def _read_rows(path: Path) -> list[dict[str, Any]]:
    return read_labelled_rows(path, option="--merge-with")


def read_labelled_rows(path: Path, *, option: str):
    """Rows of a labelled file (.parquet, .jsonl or .csv), or a coded error naming ``option`` and the file
    (never the library's message, which may quote a cell)."""
    import datasets

    from rcrp.models.errors import ErrorCode, RcrpError

    path = Path(path)
    kind = {".parquet": "parquet", ".jsonl": "json", ".json": "json", ".csv": "csv"}.get(path.suffix)
    if kind is None:
        raise RcrpError(ErrorCode.INPUT_FORMAT_UNSUPPORTED, detail=f"{option}: {path.name}")
    try:
        return datasets.load_dataset(kind, data_files=str(path), split="train")
    except Exception as exc:  # noqa: BLE001 - any reader failure is the same answer: the file cannot be used
        raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"{option}: {path.name} ({type(exc).__name__})") from None


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _who(completed_by: Any, users: dict[int, str]) -> str:
    if isinstance(completed_by, dict):
        return str(completed_by.get("email") or completed_by.get("id"))
    return users.get(int(completed_by), str(completed_by)) if completed_by is not None else "unknown"


def _share(notes: Sequence[Annotation], agrees) -> float:
    return round(sum(1 for a in notes if agrees(a)) / len(notes), 4)


def _shown(a: Annotation) -> dict[str, Any]:
    return {"annotator": a.annotator, "category": a.category, "police_response": a.flag, "unsure": a.unsure}
