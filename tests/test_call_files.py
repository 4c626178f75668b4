"""Loading a force's call files: every row accepted or rejected with row number, field and reason."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rcrp.models.call_files import RowWriter, detect_format, load_calls
from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.taxonomy import default_taxonomy

TAX = default_taxonomy()
GOOD = {"id": "a1", "narrative": "Caller worried about neighbour not seen since Tuesday.",
        "category": "concern_for_welfare", "police_response_required": "false", "age_band": "older",
        "sex": "female", "ethnicity": "white"}


def _jsonl(path, rows):
    path.write_bytes(b"".join(r if isinstance(r, bytes) else (json.dumps(r) + "\n").encode() for r in rows))
    return path


def _load(path, **kw):
    return load_calls(path, taxonomy=TAX, rejects_path=path.with_suffix(".rejects.jsonl"), **kw)


def test_good_rows_load_into_a_dataset(tmp_path):
    loaded = _load(_jsonl(tmp_path / "calls.jsonl", [GOOD, {**GOOD, "id": "a2", "police_response_required": True}]))
    assert loaded.accepted == 2 and loaded.rejects == []
    row = loaded.dataset[1]
    assert row["police_response_required"] is True and row["age_band"] == "older"
    assert loaded.summary()["label_counts"] == {"concern_for_welfare": 2}


BAD_ROWS = [
    ({**GOOD, "narrative": "   "}, "narrative", ErrorCode.NARRATIVE_EMPTY),
    ({k: v for k, v in GOOD.items() if k != "narrative"}, "narrative", ErrorCode.NARRATIVE_MISSING),
    ({**GOOD, "narrative": "x" * 10_001}, "narrative", ErrorCode.NARRATIVE_TOO_LONG),
    ({**GOOD, "category": "burglary"}, "category", ErrorCode.LABEL_UNKNOWN),
    ({**GOOD, "police_response_required": "maybe"}, "police_response_required", ErrorCode.FLAG_INVALID),
    ({**GOOD, "ethnicity": "martian"}, "ethnicity", ErrorCode.ATTRIBUTE_INVALID),
    ({**GOOD, "age_band": "teen"}, "age_band", ErrorCode.ATTRIBUTE_INVALID),
    ({**GOOD, "id": ""}, "id", ErrorCode.ID_MISSING),
    ({**GOOD, "narrative": 42}, "narrative", ErrorCode.MALFORMED_ROW),
    ({**GOOD, "pii_spans": [{"start": 5, "end": 2, "type": "PERSON"}]}, "pii_spans", ErrorCode.SPANS_INVALID),
]


@pytest.mark.parametrize("bad, field, code", BAD_ROWS, ids=[c.value for _, _, c in BAD_ROWS])
def test_bad_row_is_rejected_with_row_field_and_reason_and_nothing_else_is_lost(tmp_path, bad, field, code):
    rows = [GOOD, {**bad, "id": bad.get("id", "b") if bad.get("id") == "" else "b"}, {**GOOD, "id": "c"}]
    if bad.get("id") == "":
        rows[1]["id"] = ""
    path = _jsonl(tmp_path / "calls.jsonl", rows)
    loaded = _load(path)
    assert [r["id"] for r in loaded.dataset] == ["a1", "c"]
    assert len(loaded.rejects) == 1
    reject = loaded.rejects[0]
    assert (reject.row, reject.field, reject.code) == (2, field, code)
    written = [json.loads(x) for x in path.with_suffix(".rejects.jsonl").read_text().splitlines()]
    assert written == [{"file": "calls.jsonl", "row": 2, "field": field, "code": code.value, "reason": reject.reason}]
    assert loaded.summary()["rejected"] == 1 and loaded.summary()["accepted"] == 2


def test_rejects_never_contain_narrative_text(tmp_path):
    sentinel = "SENTINEL-Zebedee-9931"
    rows = [{**GOOD, "narrative": sentinel + " " * 10_000}, {**GOOD, "id": "x", "category": sentinel}]
    path = _jsonl(tmp_path / "calls.jsonl", rows)
    loaded = _load(path)
    assert len(loaded.rejects) == 2
    assert sentinel not in path.with_suffix(".rejects.jsonl").read_text()


def test_undecodable_bytes_reject_only_that_row_jsonl(tmp_path):
    bad = b'{"id": "b", "narrative": "caf\xe9 \xff broken"}\n'
    path = _jsonl(tmp_path / "calls.jsonl", [GOOD, bad, {**GOOD, "id": "c"}, b"{not json}\n", b"[1, 2]\n"])
    loaded = _load(path)
    assert loaded.accepted == 2
    assert [(r.row, r.code) for r in loaded.rejects] == [
        (2, ErrorCode.UNDECODABLE_BYTES), (4, ErrorCode.MALFORMED_ROW), (5, ErrorCode.MALFORMED_ROW)]


def test_undecodable_bytes_reject_only_that_row_csv(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(b"id,narrative,category\n1,fine text,conveyance\n2,bad \xff\xfe text,conveyance\n"
                     b"3,\"multi\nline, quoted\",police_matter\n4,too,many,cells\n")
    loaded = _load(path)
    assert [r["id"] for r in loaded.dataset] == ["1", "3"]
    assert [(r.row, r.field, r.code) for r in loaded.rejects] == [
        (2, "narrative", ErrorCode.UNDECODABLE_BYTES), (4, "(row)", ErrorCode.MALFORMED_ROW)]


def test_duplicate_ids_are_rejected(tmp_path):
    loaded = _load(_jsonl(tmp_path / "calls.jsonl", [GOOD, GOOD]))
    assert loaded.accepted == 1 and loaded.rejects[0].code == ErrorCode.ID_DUPLICATE


def test_labels_required_when_asked(tmp_path):
    rows = [{"id": "1", "narrative": "text"}, {**GOOD, "id": "2"}]
    loaded = _load(_jsonl(tmp_path / "calls.jsonl", rows), require_labels=True)
    assert loaded.accepted == 1 and loaded.rejects[0].code == ErrorCode.LABEL_MISSING
    unlabelled = _load(_jsonl(tmp_path / "calls2.jsonl", rows), require_labels=False)
    assert unlabelled.accepted == 2 and unlabelled.dataset[0]["category"] is None
    assert unlabelled.dataset[0]["ethnicity"] == "not_stated"  # missing attribute -> the taxonomy's unknown


def test_column_mapping(tmp_path):
    path = tmp_path / "force.csv"
    path.write_text("ref,incident_text,rcrp_cat\nF-1,Male on bridge railings,mha_s136_handover\n", encoding="utf-8")
    loaded = _load(path, column_map={"ref": "id", "incident_text": "narrative", "rcrp_cat": "category"})
    assert loaded.dataset[0]["id"] == "F-1" and loaded.dataset[0]["category"] == "mha_s136_handover"
    with pytest.raises(RcrpError) as err:
        _load(path)
    assert err.value.code == ErrorCode.COLUMN_MISSING and "id, narrative" in str(err.value)


def test_parquet_round_trip_and_bad_parquet(tmp_path):
    path = tmp_path / "calls.parquet"
    with RowWriter(path) as writer:
        writer.write_many([{**GOOD, "id": f"p{i}", "pii_spans": [{"start": 0, "end": 6, "type": "PERSON"}]}
                           for i in range(3)])
    loaded = _load(path)
    assert loaded.accepted == 3 and loaded.dataset[0]["pii_spans"][0]["type"] == "PERSON"
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(RcrpError) as err:
        _load(broken)
    assert err.value.code == ErrorCode.INPUT_UNREADABLE


def test_writer_formats_agree(tmp_path):
    rows = [{**GOOD, "id": f"w{i}", "pii_spans": [{"start": 0, "end": 6, "type": "PERSON"}]} for i in range(5)]
    ids = {}
    for suffix in (".jsonl", ".csv", ".parquet"):
        path = tmp_path / f"out{suffix}"
        with RowWriter(path, chunk_rows=2) as w:
            w.write_many(rows)
        loaded = _load(path)
        ids[suffix] = [(r["id"], r["pii_spans"][0]["end"]) for r in loaded.dataset]
    assert ids[".jsonl"] == ids[".csv"] == ids[".parquet"]


def test_unsupported_format_and_missing_file(tmp_path):
    with pytest.raises(RcrpError) as err:
        detect_format(tmp_path / "calls.xlsx")
    assert err.value.code == ErrorCode.INPUT_FORMAT_UNSUPPORTED
    with pytest.raises(RcrpError) as err:
        _load(tmp_path / "absent.csv")
    assert err.value.code == ErrorCode.INPUT_UNREADABLE


def test_csv_short_rows_broken_quotes_and_huge_fields_are_rejected_not_lost(tmp_path):
    path = tmp_path / "calls.csv"
    huge = "x" * 200_000
    path.write_text(
        "id,narrative,category\n"
        "1,fine,conveyance\n"
        "2,holding a knife\n"               # fewer cells: an unquoted line break split the row
        f"3,{huge},conveyance\n"            # over the csv module's default field limit
        "4,ok again,police_matter\n"
        '5,"never closed,police_matter\n',  # unterminated quote at the end of the file
        encoding="utf-8")
    loaded = _load(path)
    assert [r["id"] for r in loaded.dataset] == ["1", "4"]
    assert [(r.row, r.code) for r in loaded.rejects] == [
        (2, ErrorCode.MALFORMED_ROW), (3, ErrorCode.NARRATIVE_TOO_LONG), (5, ErrorCode.MALFORMED_ROW)]
    assert loaded.rows_read == loaded.accepted + len(loaded.rejects)


def test_spans_are_kept_even_when_they_first_appear_late(tmp_path):
    rows = [{**GOOD, "id": f"r{i}"} for i in range(1500)]
    rows.append({**GOOD, "id": "late", "pii_spans": [{"start": 0, "end": 6, "type": "PERSON"}]})
    loaded = _load(_jsonl(tmp_path / "calls.jsonl", rows))
    assert loaded.dataset[-1]["pii_spans"] == [{"start": 0, "end": 6, "type": "PERSON"}]
    assert loaded.dataset[0]["pii_spans"] == []


def test_writer_refuses_a_column_the_file_does_not_have(tmp_path):
    for suffix in (".csv", ".jsonl", ".parquet"):
        with pytest.raises(ValueError, match="register"):
            with RowWriter(tmp_path / f"w{suffix}") as writer:
                writer.write({"id": "1", "narrative": "a"})
                writer.write({"id": "2", "narrative": "b", "register": "terse_log"})


def test_parquet_writer_with_schema_survives_null_first_chunk(tmp_path):
    import pyarrow as pa

    schema = pa.schema([("id", pa.string()), ("narrative", pa.string()), ("category", pa.string())])
    path = tmp_path / "calls.parquet"
    with RowWriter(path, chunk_rows=2, schema=schema) as writer:
        writer.write_many([{"id": "1", "narrative": "a", "category": None}, {"id": "2", "narrative": "b", "category": None},
                           {"id": "3", "narrative": "c", "category": "conveyance"}])
    assert [r["category"] for r in _load(path).dataset] == [None, None, "conveyance"]
