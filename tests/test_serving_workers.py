"""``rcrp serve --workers 2``: two worker processes share the port and the audit file, each runs with the
settings it was given (in code, not through the environment), and concurrent requests are all answered and all recorded."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

NARRATIVES = ["Patient walked out of A&E before triage, staff worried, not answering phone.",
              "Caller says her son is on the railway bridge parapet threatening to jump.",
              "Care home asks for help moving a resident to hospital, no risk identified."]


def _worker_processes(pid: int) -> list[int]:
    """Child processes started by multiprocessing's spawn (uvicorn's workers; not its resource tracker)."""
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_two_workers_answer_and_record_every_request_with_the_given_settings(tmp_path, model_dir, free_port, new_key):
    env = {**os.environ, "RCRP_DATA_DIR": str(tmp_path), "RCRP_MODEL_URI": str(model_dir),
           "RCRP_MODEL_REFRESH_SECONDS": "0"}
    key = new_key(env)
    port = free_port()
    # Settings given in code, as `rcrp demo` gives them, not through the environment: every worker must get them.
    code = ("from rcrp.service_commands import run_service; from rcrp.serving.settings import ServingSettings; "
            f"run_service(ServingSettings(data_dir={str(tmp_path)!r}, model_uri={str(model_dir)!r}, "
            f"model_refresh_seconds=0, max_batch=3), port={port}, workers=2)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RCRP_")}
    server = subprocess.Popen([sys.executable, "-c", code], env=clean, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base, headers = f"http://127.0.0.1:{port}", {"X-API-Key": key}
    try:
        deadline = time.monotonic() + 90
        ready = 0
        while ready < 10 and time.monotonic() < deadline:  # both workers ready: several answers in a row
            assert server.poll() is None, server.stderr.read()
            try:
                ready = ready + 1 if httpx.get(base + "/ready", timeout=2).status_code == 200 else 0
            except httpx.HTTPError:
                ready = 0
            time.sleep(0.1)
        assert ready == 10, "the service did not become ready"
        assert len(_worker_processes(server.pid)) == 2

        def suggest(i: int) -> httpx.Response:
            return httpx.post(base + "/v1/suggestions", headers=headers, timeout=30,
                              json={"narrative": NARRATIVES[i % 3], "call_ref": f"CAD-{i}"})

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(suggest, range(80)))
        assert [r.status_code for r in answers] == [200] * 80
        assert {r.json()["call_ref"] for r in answers} == {f"CAD-{i}" for i in range(80)}
        # The batch limit from the environment holds in every worker.
        too_big = [httpx.post(base + "/v1/suggestions/batch", headers=headers, timeout=30,
                              json={"items": [{"narrative": NARRATIVES[0]}] * 4}) for _ in range(10)]
        assert {r.status_code for r in too_big} == {422}
        assert {r.json()["error"]["code"] for r in too_big} == {"batch_too_large"}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    with sqlite3.connect(tmp_path / "audit" / "audit.db") as db:
        refs = {r[0] for r in db.execute("SELECT call_ref FROM suggestions")}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert refs == {f"CAD-{i}" for i in range(80)}
