"""A scorer's directory: ``scorer.json`` (settings, with a format tag) and one ``.npy`` per array.

Nothing is pickled: ``np.save``/``np.load`` with ``allow_pickle=False`` and JSON only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

import numpy as np

__all__ = ["write_scorer_files", "read_scorer_files"]


def write_scorer_files(path: str | Path, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Path:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / "scorer.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    for name, array in arrays.items():
        np.save(path / f"{name}.npy", array, allow_pickle=False)
    return path


def read_scorer_files(path: str | Path, fmt: str, names: Iterable[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The settings and arrays of a scorer directory; ValueError if it is not of format ``fmt``."""
    path = Path(path)
    meta = json.loads((path / "scorer.json").read_text(encoding="utf-8"))
    if meta.get("format") != fmt:
        raise ValueError(f"not a {fmt} directory: {path}")
    return meta, {name: np.load(path / f"{name}.npy", allow_pickle=False) for name in names}
