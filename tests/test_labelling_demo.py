"""``rcrp demo --label-studio``: a local Label Studio started from its own virtualenv with a first batch of
calls to review pushed, its address and login printed."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from rcrp.models.settings import Settings


def test_the_demo_starts_label_studio_and_pushes_a_first_batch(tmp_path, model_dir, free_port, capsys, monkeypatch):
    from rcrp.label_commands import start_demo_labelling
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    calls = tmp_path / "held_out.jsonl"
    rows = [r for chunk in iter_corpus(SynthConfig(n=400, seed=9), workers=1) for r in chunk]
    calls.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    venv = Path(__file__).resolve().parents[1] / ".venv-label-studio"
    settings = Settings(data_dir=tmp_path / "data", model_uri=str(model_dir))
    monkeypatch.setenv("RCRP_LABEL_STUDIO_VENV", str(venv))  # the demo's labelling settings read it
    server = start_demo_labelling(settings, calls, port=free_port(), limit=10)
    assert server is not None
    try:
        printed = capsys.readouterr().out
        assert server.url in printed and server.username in printed and server.password in printed
        tasks = httpx.get(f"{server.url}/api/tasks", params={"project": 1},
                          headers={"Authorization": f"Token {server.token}"}).json()
        assert 10 < tasks["total"] <= 20 and tasks["total_predictions"] == tasks["total"]
    finally:
        server.stop()
