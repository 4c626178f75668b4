"""Shared test helpers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _mlflow_environment_restored():
    """``mlflow.set_tracking_uri`` also sets ``MLFLOW_TRACKING_URI`` (and the registry's) in this process's
    environment. A test that points MLflow somewhere (an unreachable registry, say) must not leave it there
    for the tests after it, nor for the subprocesses they start."""
    before = {k: v for k, v in os.environ.items() if k.startswith("MLFLOW_")}
    yield
    for key in [k for k in os.environ if k.startswith("MLFLOW_")]:
        if key not in before:
            del os.environ[key]
    os.environ.update(before)


@pytest.fixture(scope="session")
def rcrp():
    """Run the ``rcrp`` command as a user does (a subprocess); fails with its output unless ``check=False``."""

    def run(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        out = subprocess.run([sys.executable, "-m", "rcrp", *args], capture_output=True, text=True, env=env,
                             timeout=900)
        if check and out.returncode != 0:
            raise AssertionError(f"rcrp {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
        return out

    return run


@pytest.fixture(scope="session")
def new_key(rcrp):
    """``new_key(env, role)`` makes an API key with ``rcrp keys create``, as an admin would; returns the key."""

    def make(env: dict, role: str = "handler") -> str:
        return rcrp(env, "keys", "create", "--role", role).stdout.strip().rsplit(" ", 1)[-1]

    return make


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """A small linear model directory trained on generated calls (for the service's tests)."""
    from rcrp.models.identity_masking import default_masker
    from rcrp.models.taxonomy import default_taxonomy
    from rcrp.models.triage_model import DecisionPolicy, TriageModel
    from rcrp.training.linear import LinearTriageEstimator
    from rcrp.training.synth.config import SynthConfig
    from rcrp.training.synth.corpus import iter_corpus

    TAX = default_taxonomy()
    rows = [r for chunk in iter_corpus(SynthConfig(n=900, seed=21), workers=1) for r in chunk]
    masker = default_masker()
    est = LinearTriageEstimator(categories=TAX.category_names, c=4.0, max_word_features=8000,
                                max_char_features=8000).fit(masker.mask_many(r["narrative"] for r in rows),
                                                            [r["category"] for r in rows],
                                                            [r["police_response_required"] for r in rows])
    model = TriageModel(est.scorer_, DecisionPolicy(threshold=0.3), taxonomy_id=TAX.label_id, flag_name=TAX.flag_name,
                        info={"metrics": {"flag_recall": 0.98, "macro_f1": 0.8}}, identity_terms=masker.terms)
    return model.save(tmp_path_factory.mktemp("model") / "m")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving_on_loopback(app):
    """The app on a free loopback port, in a real uvicorn server (a thread of this process)."""
    port = _free_port()
    import uvicorn

    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the service did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def loopback_server():
    """``with loopback_server(app) as base_url:`` runs the app in a real uvicorn server on a free port."""
    return serving_on_loopback


@pytest.fixture(scope="session")
def free_port():
    """``free_port()`` gives a loopback port nothing listens on now."""
    return _free_port


@contextmanager
def postgres_on_loopback():
    """A throwaway PostgreSQL server (Debian's, installed by ``make test``) on a free loopback port.

    Yields a SQLAlchemy URL. PostgreSQL refuses to run as root, so as root the server runs as the
    ``postgres`` user, in a folder of its own under /tmp (pytest's folders are closed to other users).
    """
    bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    assert bindirs, "Debian's PostgreSQL server is needed (make test installs it)"
    bindir = bindirs[-1].parent
    base = Path(tempfile.mkdtemp(prefix="rcrp-pg-"))
    as_server_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_server_user:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", _free_port()

    def pg(*args: str) -> None:
        out = subprocess.run([*as_server_user, *args], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, f"{args[0]} failed:\n{out.stdout}\n{out.stderr}"

    pg(str(bindir / "initdb"), "-D", str(data), "-U", "rcrp", "--auth=trust", "-E", "UTF8", "--no-instructions")
    pg(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60",
       "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start")
    try:
        yield f"postgresql+psycopg://rcrp@127.0.0.1:{port}/postgres"
    finally:
        pg(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url():
    """The SQLAlchemy URL of a real PostgreSQL server on loopback, for this test session."""
    with postgres_on_loopback() as url:
        yield url


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """A real Label Studio server (the pinned package in its own virtualenv, which ``make test`` makes) on a
    free loopback port with a fresh data folder. Yields (url, admin token, settings)."""
    from rcrp.labelling.settings import LabellingSettings
    from rcrp.labelling.studio_server import start_label_studio

    venv = Path(__file__).resolve().parents[1] / ".venv-label-studio"
    assert (venv / "bin" / "label-studio").exists(), "Label Studio's virtualenv is needed (make test makes it)"
    settings = LabellingSettings(data_dir=tmp_path_factory.mktemp("ls"), label_studio_venv=venv)
    server = start_label_studio(settings, port=_free_port())
    try:
        yield server.url, server.token, settings
    finally:
        server.stop()
