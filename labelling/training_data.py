"""The file a retraining run reads: a labelled-dataset version merged with earlier labelled calls.

Analysts' labels win for a call present in both: an earlier row is dropped when its id is a labelled row's
id or call reference (tasks are keyed ``pool:<call id>``, with the call id as their call reference). Rows of the version carry the register ``analyst_labelled``
(the training run's validation holds whole registers out, so they form a group of their own). The merged
file is written once per (version, base file) pair and never rewritten.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rcrp.labelling.pull import read_labelled_rows

__all__ = ["merged_training_file"]


def merged_training_file(version_dir: Path, base: Path, out_dir: Path) -> Path:
    import datasets

    base = Path(base)
    if not base.is_file():
        from rcrp.models.errors import ErrorCode, RcrpError

        raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"--base: {base.name} not found")
    digest = hashlib.sha256(base.read_bytes()).hexdigest()[:12]
    out = Path(out_dir) / f"{Path(version_dir).name}+{base.stem}-{digest}.parquet"
    if out.exists():
        return out
    labelled = datasets.load_dataset("parquet", data_files=str(Path(version_dir) / "labels.parquet"), split="train")
    earlier = read_labelled_rows(base, option="--base")
    mine = {str(x) for x in labelled["id"]} | {str(x) for x in labelled["call_ref"] if x is not None}
    columns = [c for c in labelled.column_names
               if c in ("id", "narrative", "category") or (c in earlier.column_names and c != "call_ref")]
    rows = [{c: r.get(c) for c in columns} | {"register": r.get("register")} for r in earlier if str(r["id"]) not in mine]
    rows += [{c: r.get(c) for c in columns} | {"register": "analyst_labelled"} for r in labelled]
    for r in rows:
        r["id"] = str(r["id"])
    out.parent.mkdir(parents=True, exist_ok=True)
    datasets.Dataset.from_list(rows).to_parquet(str(out))
    return out
