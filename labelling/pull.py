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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from rcrp.labelling.adjudication import Annotation, adjudicate, parse_annotation
from rcrp.labelling.agreement import agreement_table
from rcrp.labelling.interface import TEXT
from rcrp.labelling.label_studio import LabelStudio
from rcrp.models.taxonomy import Taxonomy

__all__ = ["PullResult", "collect", "write_version", "latest_version"]


@dataclass
class PullResult:
    rows: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    agreement: list[dict[str, Any]]
    tasks_annotated: int


def collect(studio: LabelStudio, project: int, taxonomy: Taxonomy, *, rule: str, seniors: Sequence[str] = (),
            min_annotators: int = 1) -> PullResult:
    """Annotations of ``project`` adjudicated by ``rule``: decided rows, conflicts and agreement figures."""
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
            "id": str(data.get("task_key") or f"label-studio:{task['id']}"), "narrative": str(data.get(TEXT) or ""),
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
        earlier = _read_rows(source)
        mine = {r["id"] for r in rows}
        rows = [r for r in earlier if str(r.get("id")) not in mine] + rows  # a newer label replaces an older one
        parent = {"path": str(source), "sha256": _sha256(source), "rows": len(earlier)}
    rows.sort(key=lambda r: str(r["id"]))
    content = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
    root = Path(root)
    newest = latest_version(root)
    if newest is not None and json.loads((newest / "manifest.json").read_text())["content_sha256"] == content:
        return newest, False
    number = int(newest.name[1:]) + 1 if newest is not None else 1
    folder = root / f"v{number:04d}"
    folder.mkdir(parents=True, exist_ok=False)
    columns = ["id", "narrative", "category", taxonomy.flag_name, *taxonomy.attribute_names, "annotators",
               "n_annotators", "agreement_category", "agreement_flag", "adjudication_rule", "source",
               "label_studio_task", "label_studio_project"]
    table = {c: [r.get(c) for r in rows] for c in columns}
    datasets.Dataset.from_dict(table).to_parquet(str(folder / "labels.parquet"))
    manifest = {"version": folder.name, "created_at": datetime.now(timezone.utc).isoformat(), "rows": len(rows),
                "new_labels": len(result.rows), "conflicts": len(result.conflicts), "content_sha256": content,
                "labels_sha256": _sha256(folder / "labels.parquet"), "taxonomy": taxonomy.label_id,
                "tasks_annotated": result.tasks_annotated, "agreement": result.agreement, "parent": parent,
                "redacted": True, **provenance}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    (folder / "conflicts.json").write_text(json.dumps(result.conflicts, indent=2), encoding="utf-8")
    for path in folder.iterdir():
        os.chmod(path, 0o444)  # a version is a record: read-only once written
    return folder, True


def _labels_file(path: Path) -> Path:
    """A version folder's labels file, or the file itself."""
    path = Path(path)
    return path / "labels.parquet" if path.is_dir() else path


def _read_rows(path: Path) -> list[dict[str, Any]]:
    import datasets

    kind = {".parquet": "parquet", ".jsonl": "json", ".json": "json", ".csv": "csv"}.get(path.suffix)
    if kind is None:
        raise ValueError(f"--merge-with: {path.name} is not .parquet, .jsonl or .csv")
    return list(datasets.load_dataset(kind, data_files=str(path), split="train"))


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
