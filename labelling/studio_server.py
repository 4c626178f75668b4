"""A local Label Studio server for development, the demo and the tests: loopback only, the project's data
folder, an admin login and API token.

Label Studio runs from its own virtualenv (``settings.label_studio_venv``; ``make label-studio`` makes it),
as its users run it: it pins Django, numpy and more, which must not constrain this project's environment.
The login is taken from settings when they give a token, otherwise made once and kept in the server's data
folder (readable by its owner only), so a restarted server keeps its users, projects and token.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from rcrp.models.errors import ErrorCode, RcrpError

__all__ = ["LocalStudio", "start_label_studio", "studio_login"]


@dataclass
class LocalStudio:
    url: str
    username: str
    password: str
    token: str
    process: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def studio_login(settings) -> dict[str, str]:
    """Username, password and token of the local server (made on first use, then kept)."""
    folder = settings.label_studio_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "login.json"
    if path.exists():
        login = json.loads(path.read_text(encoding="utf-8"))
    else:
        login = {"username": settings.label_studio_username, "password": secrets.token_urlsafe(18),
                 "token": secrets.token_hex(20)}
        path.touch(mode=0o600)
        path.write_text(json.dumps(login), encoding="utf-8")
    if settings.label_studio_token:
        login["token"] = settings.label_studio_token
    if settings.label_studio_password:
        login["password"] = settings.label_studio_password
    return login


def start_label_studio(settings, *, port: int, wait_seconds: float = 240.0) -> LocalStudio:
    """Start Label Studio on 127.0.0.1:``port`` and wait until it answers its health check."""
    binary = Path(settings.label_studio_venv) / "bin" / "label-studio"
    if not binary.exists():
        raise RcrpError(ErrorCode.LABEL_STUDIO_UNAVAILABLE,
                        detail=f"no label-studio in {settings.label_studio_venv} (make label-studio installs it)")
    login = studio_login(settings)
    folder = settings.label_studio_dir()
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(folder), "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
           # The ML backend and webhooks of this project listen on loopback, which Label Studio refuses otherwise.
           "SSRF_PROTECTION_ENABLED": "false", "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    log_path = folder / "server.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [str(binary), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
             "--username", login["username"], "--password", login["password"], "--user-token", login["token"]],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RcrpError(ErrorCode.LABEL_STUDIO_UNAVAILABLE,
                            detail=f"label-studio exited with {process.returncode}; see {log_path}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return LocalStudio(url, login["username"], login["password"], login["token"], process, log_path)
        except httpx.HTTPError:
            pass
        time.sleep(1.0)
    process.terminate()
    raise RcrpError(ErrorCode.LABEL_STUDIO_UNAVAILABLE, detail=f"not ready after {wait_seconds:.0f} s; see {log_path}")
