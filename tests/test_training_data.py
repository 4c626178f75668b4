"""Training data: a force's labelled file is validated row by row; bad rows are rejected, never dropped
silently; too little data and bad configs are clear errors."""

from __future__ import annotations

import json

import pytest

from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.identity_masking import default_masker, model_input
from rcrp.models.redaction import redact_narrative
from rcrp.models.settings import Settings
from rcrp.training.config import load_train_config
from rcrp.training.synth.config import SynthConfig
from rcrp.training.synth.corpus import iter_corpus
from rcrp.training.train import load_eval_data, load_training_data


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_bad_rows_are_rejected_with_reasons_and_the_rest_is_used(tmp_path):
    good = [{k: r[k] for k in ("id", "narrative", "category", "police_response_required", "age_band", "sex",
                               "ethnicity", "register")}
            for chunk in iter_corpus(SynthConfig(n=80, seed=4), workers=1) for r in chunk]
    bad = [{"id": "x1", "narrative": "", "category": "conveyance", "police_response_required": False},
           {"id": "x2", "narrative": "Calm caller.", "category": "not_a_category", "police_response_required": False},
           {"id": "x3", "narrative": "Calm caller.", "category": "conveyance", "police_response_required": "maybe"}]
    settings = Settings(data_dir=tmp_path / "data")
    data = load_training_data(settings, load_train_config(None), _write(tmp_path / "calls.jsonl", good + bad))
    assert data.lineage["rows"] == 80 and data.lineage["load_summary"]["rejected"] == 3
    assert not data.lineage["synthetic"]  # a file without the generator's mark is treated as real data
    rejects = [json.loads(line) for line in
               (tmp_path / "data" / "rejects" / "calls.train_rejects.jsonl").read_text().splitlines()]
    assert [(r["row"], r["field"]) for r in rejects] == [(81, "narrative"), (82, "category"),
                                                         (83, "police_response_required")]
    first = good[0]["narrative"]
    # Training sees what serving's model reads: identity words out, redacted, gendered words neutralised.
    assert data.texts[0] == model_input([first], default_masker(), lambda t: [redact_narrative(x) for x in t])[0]
    assert data.texts[0] != redact_narrative(first) and " they " in f" {data.texts[0]} ".lower()
    assert data.registers and set(data.registers) <= {"terse_log", "handler_narrative", "partner_referral",
                                                      "public_report"}


def test_too_few_rows_is_a_clear_error(tmp_path):
    rows = [{"id": str(i), "narrative": "Calm caller asks for advice.", "category": "conveyance",
             "police_response_required": False} for i in range(10)]
    with pytest.raises(RcrpError) as info:
        load_training_data(Settings(data_dir=tmp_path), load_train_config(None), _write(tmp_path / "few.jsonl", rows))
    assert info.value.code == ErrorCode.TRAINING_DATA_INVALID and "50" in str(info.value)


def test_eval_file_can_be_restricted_to_a_split(tmp_path):
    from pathlib import Path

    path = Path(__file__).resolve().parent / "data" / "independent_narratives.jsonl"
    test = load_eval_data(Settings(data_dir=tmp_path), path, split="test")
    dev = load_eval_data(Settings(data_dir=tmp_path), path, split="dev")
    assert len(test.texts) == 160 and len(dev.texts) == 80
    with pytest.raises(RcrpError):
        load_eval_data(Settings(data_dir=tmp_path), path, split="nope")


@pytest.mark.parametrize(("override", "field"), [
    ({"policy": {"target_recall": 1.5}}, "policy.target_recall"),
    ({"linear": {"c_grid": [0.0]}}, "linear.c_grid"),
    ({"transformer": {"c_grid": [-1.0]}}, "transformer.c_grid"),
    ({"model": "forest"}, "model"),
    ({"validation": {"group_by": "postcode"}}, "validation.group_by"),
])
def test_config_errors_name_the_field(override, field):
    with pytest.raises(RcrpError) as info:
        load_train_config(None, **override)
    assert info.value.code == ErrorCode.TRAIN_CONFIG_INVALID and field in str(info.value)
