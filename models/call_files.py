"""Reading and writing call files (CSV, JSONL, Parquet), with row-level validation.

Loading never drops a row silently: every row is either accepted into a ``datasets.Dataset`` or written
to a rejects file with its row number, the field and the reason. Bad bytes in one row do not sink the
file: CSV and JSONL are decoded row by row. Rejections carry codes and field names, never narrative text.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.records import PII_TYPES
from rcrp.models.taxonomy import Taxonomy

if TYPE_CHECKING:
    import datasets

__all__ = ["FileFormat", "detect_format", "RowWriter", "RowReject", "LoadedCalls", "load_calls", "iter_raw_rows"]

FileFormat = Literal["csv", "jsonl", "parquet"]
_SUFFIXES: dict[str, FileFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def detect_format(path: str | Path) -> FileFormat:
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise RcrpError(ErrorCode.INPUT_FORMAT_UNSUPPORTED, detail=f"{Path(path).name}: suffix '{suffix}'")
    return _SUFFIXES[suffix]


class RowWriter:
    """Append dict rows to a CSV, JSONL or Parquet file; lists and dicts become JSON text in CSV.

    The columns are those of the first row (or of ``schema``); a later row with another key is an error
    rather than a silently dropped value, and a missing key is written as empty. Parquet needs ``schema``
    (a ``pyarrow.Schema``) whenever a column can be null or empty in the first rows; without it, types are
    inferred from the first chunk.
    """

    def __init__(self, path: str | Path, *, fmt: FileFormat | None = None, chunk_rows: int = 20_000,
                 schema: Any = None) -> None:
        self.path = Path(path)
        self.fmt = fmt or detect_format(self.path)
        self.chunk_rows = chunk_rows
        self.schema = schema
        self.columns: list[str] | None = list(schema.names) if schema is not None else None
        self.rows_written = 0
        self._buffer: list[dict[str, Any]] = []
        self._handle: Any = None
        self._csv: csv.DictWriter[str] | None = None
        self._parquet: Any = None

    def __enter__(self) -> RowWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.fmt in ("csv", "jsonl"):
            self._handle = self.path.open("w", encoding="utf-8", newline="")
        return self

    def write(self, row: Mapping[str, Any]) -> None:
        if self.columns is None:
            self.columns = list(row)
        extra = [k for k in row if k not in self.columns]
        if extra:
            raise ValueError(f"{self.path.name}: column {extra[0]!r} is not among the file's columns")
        self._buffer.append({c: row.get(c) for c in self.columns})
        if len(self._buffer) >= self.chunk_rows:
            self._flush()

    def write_many(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.write(row)

    def _flush(self) -> None:
        if not self._buffer:
            return
        rows, self._buffer = self._buffer, []
        if self.fmt == "jsonl":
            self._handle.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        elif self.fmt == "csv":
            if self._csv is None:
                self._csv = csv.DictWriter(self._handle, fieldnames=self.columns or list(rows[0]))
                self._csv.writeheader()
            self._csv.writerows({k: _csv_cell(v) for k, v in r.items()} for r in rows)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pylist(rows, schema=self.schema)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, self.schema or table.schema)
            self._parquet.write_table(table.cast(self._parquet.schema))
        self.rows_written += len(rows)

    def __exit__(self, *exc: object) -> None:
        self._flush()
        if self._parquet is not None:
            self._parquet.close()
        elif self.fmt == "parquet":  # no rows at all: still leave a valid, empty file
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(self.schema.empty_table() if self.schema is not None else pa.table({}), self.path)
        if self._handle is not None:
            self._handle.close()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


# ---------------------------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class RowReject:
    """Why one input row was not accepted. ``row`` is 1-based, counting data rows (not the CSV header)."""

    row: int
    field: str
    code: ErrorCode
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": str(self.code), "reason": self.reason}


@dataclass
class LoadedCalls:
    dataset: datasets.Dataset
    rejects: list[RowReject]
    rows_read: int
    rejects_path: Path | None = None
    label_counts: dict[str, int] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        return len(self.dataset)

    def summary(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read, "accepted": self.accepted, "rejected": len(self.rejects),
            "rejected_by_code": dict(Counter(str(r.code) for r in self.rejects)),
            "label_counts": self.label_counts,
            "rejects_file": str(self.rejects_path) if self.rejects_path else None,
        }


_Raw = dict[str, Any] | RowReject


def iter_raw_rows(path: str | Path, fmt: FileFormat | None = None) -> Iterator[tuple[int, _Raw]]:
    """Yield ``(row_number, row)`` pairs; a row that cannot be decoded or parsed comes as a RowReject."""
    path = Path(path)
    fmt = fmt or detect_format(path)
    try:
        if fmt == "jsonl":
            yield from _iter_jsonl(path)
        elif fmt == "csv":
            yield from _iter_csv(path)
        else:
            yield from _iter_parquet(path)
    except OSError as exc:
        raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"{path.name}: {type(exc).__name__}") from exc


def _iter_jsonl(path: Path) -> Iterator[tuple[int, _Raw]]:
    with path.open("rb") as handle:
        number = 0
        for raw in handle:
            if not raw.strip():
                continue
            number += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, RowReject(number, "(row)", ErrorCode.UNDECODABLE_BYTES, "not valid UTF-8")
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield number, RowReject(number, "(row)", ErrorCode.MALFORMED_ROW, f"invalid JSON at column {exc.colno}")
                continue
            if not isinstance(obj, dict):
                yield number, RowReject(number, "(row)", ErrorCode.MALFORMED_ROW, "a JSON object is required")
                continue
            yield number, obj


def _iter_csv(path: Path) -> Iterator[tuple[int, _Raw]]:
    # surrogateescape keeps undecodable bytes visible per cell instead of failing the whole file.
    csv.field_size_limit(2**31 - 1)
    with path.open("r", encoding="utf-8", errors="surrogateescape", newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        number = 0
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # e.g. an unterminated quote: the reader has consumed what it could; report, go on.
                yield number, RowReject(number, "(row)", ErrorCode.MALFORMED_ROW, f"CSV: {str(exc)[:60]}")
                continue
            if None in row:
                yield number, RowReject(number, "(row)", ErrorCode.MALFORMED_ROW, "more cells than header columns")
                continue
            if None in row.values():
                yield number, RowReject(number, "(row)", ErrorCode.MALFORMED_ROW, "fewer cells than header columns")
                continue
            bad = next((k for k, v in row.items() if _has_surrogates(k) or _has_surrogates(v)), None)
            if bad is not None:
                name = bad if not _has_surrogates(bad) else "(header)"
                yield number, RowReject(number, name, ErrorCode.UNDECODABLE_BYTES, "not valid UTF-8")
                continue
            yield number, row


def _has_surrogates(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _iter_parquet(path: Path) -> Iterator[tuple[int, _Raw]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"{path.name}: not a Parquet file") from exc
    number = 0
    for batch in parquet.iter_batches(batch_size=10_000):
        for row in batch.to_pylist():
            number += 1
            yield number, row


# --------------------------------------------------------------------------------------------- validate
def _validate(
    number: int, row: Mapping[str, Any], *, taxonomy: Taxonomy, max_chars: int, require_labels: bool,
    seen_ids: set[str], keep_columns: tuple[str, ...],
) -> dict[str, Any] | RowReject:
    def reject(fld: str, code: ErrorCode, reason: str) -> RowReject:
        return RowReject(number, fld, code, reason)

    raw_id = row.get("id")
    if raw_id is None or (isinstance(raw_id, float) and math.isnan(raw_id)) or str(raw_id).strip() == "":
        return reject("id", ErrorCode.ID_MISSING, "missing or empty")
    call_id = str(raw_id).strip()
    if call_id in seen_ids:
        return reject("id", ErrorCode.ID_DUPLICATE, "repeats an earlier row's id")

    narrative = row.get("narrative")
    if narrative is None or (isinstance(narrative, float) and math.isnan(narrative)):
        return reject("narrative", ErrorCode.NARRATIVE_MISSING, "missing")
    if not isinstance(narrative, str):
        return reject("narrative", ErrorCode.MALFORMED_ROW, f"must be text, got {type(narrative).__name__}")
    if not narrative.strip():
        return reject("narrative", ErrorCode.NARRATIVE_EMPTY, "empty or whitespace only")
    if len(narrative) > max_chars:
        return reject("narrative", ErrorCode.NARRATIVE_TOO_LONG, f"{len(narrative)} characters, limit {max_chars}")
    if "\x00" in narrative:
        return reject("narrative", ErrorCode.MALFORMED_ROW, "contains a NUL character")

    out: dict[str, Any] = {"id": call_id, "narrative": narrative}
    category = _blank_to_none(row.get("category"))
    if category is None:
        if require_labels:
            return reject("category", ErrorCode.LABEL_MISSING, "required for labelled data")
    elif str(category) not in taxonomy.category_names:
        return reject("category", ErrorCode.LABEL_UNKNOWN, f"not one of {len(taxonomy.category_names)} taxonomy categories")
    out["category"] = None if category is None else str(category)

    flag_name = taxonomy.flag_name
    flag = _parse_bool(row.get(flag_name))
    if flag == "invalid":
        return reject(flag_name, ErrorCode.FLAG_INVALID, "must be true or false")
    if flag is None and require_labels:
        return reject(flag_name, ErrorCode.LABEL_MISSING, "required for labelled data")
    out[flag_name] = flag

    for attr in taxonomy.attributes:
        value = _blank_to_none(row.get(attr.name))
        if value is None:
            out[attr.name] = attr.unknown_value
        elif str(value) not in attr.values:
            return reject(attr.name, ErrorCode.ATTRIBUTE_INVALID, f"allowed: {', '.join(attr.values)}")
        else:
            out[attr.name] = str(value)

    if "pii_spans" in row and row["pii_spans"] not in (None, "", []):
        spans = _parse_spans(row["pii_spans"], len(narrative))
        if spans is None:
            return reject("pii_spans", ErrorCode.SPANS_INVALID, "need start < end within the narrative and a known type")
        out["pii_spans"] = spans
    for name in keep_columns:
        if name in row and name not in out:
            value = row[name]
            out[name] = None if value is None else str(value)
    seen_ids.add(call_id)
    return out


def _blank_to_none(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _parse_bool(value: Any) -> bool | None | Literal["invalid"]:
    value = _blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return "invalid"


def _parse_spans(value: Any, length: int) -> list[dict[str, Any]] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    if not isinstance(value, list):
        return None
    spans = []
    for item in value:
        if not isinstance(item, Mapping):
            return None
        try:
            start, end, kind = int(item["start"]), int(item["end"]), str(item["type"])
        except (KeyError, TypeError, ValueError):
            return None
        if not (0 <= start < end <= length) or kind not in PII_TYPES:
            return None
        spans.append({"start": start, "end": end, "type": kind})
    return spans


def load_calls(
    path: str | Path,
    *,
    taxonomy: Taxonomy,
    max_narrative_chars: int = 10_000,
    require_labels: bool = False,
    column_map: Mapping[str, str] | None = None,
    keep_columns: tuple[str, ...] = ("register", "family", "source"),
    rejects_path: str | Path | None = None,
) -> LoadedCalls:
    """Load and validate a force's (or the generator's) call file into a ``datasets.Dataset``.

    ``column_map`` renames source columns to the project's names, e.g. ``{"incident_text": "narrative"}``.
    Rejected rows go to ``rejects_path`` (JSONL) when given. Columns of the result: ``id``, ``narrative``,
    ``category``, the flag, one per subject attribute, ``pii_spans`` if present, and ``keep_columns``.
    """
    import datasets

    path = Path(path)
    fmt = detect_format(path)
    if not path.exists():
        raise RcrpError(ErrorCode.INPUT_UNREADABLE, detail=f"{path.name}: no such file")
    mapping = dict(column_map or {})
    accepted: list[dict[str, Any]] = []
    rejects: list[RowReject] = []
    seen: set[str] = set()
    rows_read = 0
    checked_columns = False
    for number, raw in iter_raw_rows(path, fmt):
        rows_read += 1
        if isinstance(raw, RowReject):
            rejects.append(raw)
            continue
        row = {mapping.get(k, k): v for k, v in raw.items()} if mapping else raw
        if not checked_columns:
            missing = [c for c in ("id", "narrative") if c not in row]
            if missing:
                raise RcrpError(ErrorCode.COLUMN_MISSING, detail=f"{path.name}: {', '.join(missing)} (use a column map)")
            checked_columns = True
        result = _validate(number, row, taxonomy=taxonomy, max_chars=max_narrative_chars,
                           require_labels=require_labels, seen_ids=seen, keep_columns=keep_columns)
        (rejects if isinstance(result, RowReject) else accepted).append(result)

    if rejects_path is not None:
        rejects_path = Path(rejects_path)
        with RowWriter(rejects_path, fmt="jsonl") as writer:
            writer.write_many({"file": path.name, **r.to_dict()} for r in rejects)

    features = _features(taxonomy, accepted)
    if accepted:
        dataset = datasets.Dataset.from_list(accepted, features=features)
    else:
        dataset = datasets.Dataset.from_dict({name: [] for name in features}, features=features)
    counts = Counter(r["category"] for r in accepted if r.get("category"))
    # Every row read is accounted for: accepted or rejected with a reason.
    assert rows_read == len(accepted) + len(rejects)
    return LoadedCalls(dataset, rejects, rows_read, Path(rejects_path) if rejects_path else None, dict(counts))


def _features(taxonomy: Taxonomy, rows: list[dict[str, Any]]) -> datasets.Features:
    import datasets

    spec: dict[str, Any] = {"id": datasets.Value("string"), "narrative": datasets.Value("string"),
                            "category": datasets.Value("string"), taxonomy.flag_name: datasets.Value("bool")}
    for attr in taxonomy.attributes:
        spec[attr.name] = datasets.Value("string")
    extra = {k for r in rows for k in r} - set(spec)
    for name in sorted(extra):
        if name == "pii_spans":
            spec[name] = datasets.List({"start": datasets.Value("int32"), "end": datasets.Value("int32"),
                                        "type": datasets.Value("string")})
        else:
            spec[name] = datasets.Value("string")
    for row in rows:
        for name in spec:
            row.setdefault(name, [] if name == "pii_spans" else None)
    return datasets.Features(spec)
