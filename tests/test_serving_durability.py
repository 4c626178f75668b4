"""Nothing acknowledged is lost: the real service (``rcrp serve``) is killed with SIGKILL during a stream of
decisions, restarted on the same audit file, and every decision it acknowledged is there."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import httpx

NARRATIVE = "Patient walked out of A&E before triage, staff worried, not answering phone."


def _start(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "rcrp", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("the service did not become ready")


def test_every_acknowledged_decision_survives_sigkill(tmp_path, model_dir, free_port, new_key):
    env = {**os.environ, "RCRP_DATA_DIR": str(tmp_path), "RCRP_MODEL_URI": str(model_dir),
           "RCRP_MODEL_REFRESH_SECONDS": "0"}
    key = new_key(env)
    port = free_port()
    server = _start(env, port)
    base, headers = f"http://127.0.0.1:{port}", {"X-API-Key": key}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        ids = [client.post("/v1/suggestions/batch", json={"items": [{"narrative": NARRATIVE}] * 50}).json()["suggestions"]
               for _ in range(4)]
    ids = [s["suggestion_id"] for batch in ids for s in batch]
    acknowledged: list[str] = []
    errors: list[str] = []

    def stream() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=5) as client:
            for sid in ids:
                try:
                    r = client.post(f"/v1/suggestions/{sid}/decision",
                                    json={"category": "walkout_healthcare", "police_attend": False})
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                    return
                if r.status_code == 200:
                    acknowledged.append(sid)

    thread = threading.Thread(target=stream)
    thread.start()
    while len(acknowledged) < 40 and thread.is_alive():
        time.sleep(0.005)
    server.send_signal(signal.SIGKILL)  # mid-stream: no shutdown, no flush
    server.wait(timeout=10)
    thread.join(timeout=30)
    assert errors, "the stream should have been cut by the kill"
    assert 40 <= len(acknowledged) < len(ids)

    restarted = _start(env, port)
    try:
        with sqlite3.connect(tmp_path / "audit" / "audit.db") as db:
            stored = {sid for (sid,) in db.execute("SELECT suggestion_id FROM decisions")}
        assert set(acknowledged) <= stored
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The restarted service answers and keeps recording.
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10) as client:
            rest = [sid for sid in ids if sid not in stored]
            r = client.post(f"/v1/suggestions/{rest[0]}/decision", json={"category": "conveyance", "police_attend": False})
            assert r.status_code == 200
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)
