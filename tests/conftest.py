"""Shared test helpers."""

from __future__ import annotations

import subprocess
import sys

import pytest


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
