"""A small client for the parts of Label Studio's REST API the labelling loop uses (checked against 1.23).

Plain HTTP rather than the SDK: the server runs in its own virtualenv, and the few calls here are stable
API paths. Every failure is a coded error: ``LABEL_STUDIO_UNAVAILABLE`` when the server cannot be reached
or fails (5xx), ``LABEL_STUDIO_REFUSED`` with the field it names when it refuses a request (4xx). Neither
carries task text.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import httpx

from rcrp.models.errors import ErrorCode, RcrpError

__all__ = ["LabelStudio"]


class LabelStudio:
    """Parameters: ``url`` of the server; ``token``, a legacy API token (``Authorization: Token``);
    ``timeout`` in seconds per request."""

    def __init__(self, url: str, token: str, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, timeout=timeout, headers={"Authorization": f"Token {token}"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LabelStudio:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            r = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise RcrpError(ErrorCode.LABEL_STUDIO_UNAVAILABLE, detail=f"{self.url}: {type(exc).__name__}") from None
        if r.status_code >= 500:
            raise RcrpError(ErrorCode.LABEL_STUDIO_UNAVAILABLE, detail=f"{self.url}{path}: HTTP {r.status_code}")
        if r.status_code >= 400 and not (r.status_code == 404 and kwargs.get("params", {}).get("page")):
            raise RcrpError(ErrorCode.LABEL_STUDIO_REFUSED, detail=f"{method} {path}: HTTP {r.status_code} "
                                                                   f"{_refusal(r)}")
        return r

    def healthy(self) -> bool:
        """Whether the server answers its health check."""
        try:
            return self._http.get("/health", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    # -- projects -----------------------------------------------------------------------------------
    def project(self, title: str, label_config: str, *, maximum_annotations: int = 2) -> int:
        """The id of the project titled ``title``, made with ``label_config`` if there is none."""
        found = self._call("GET", "/api/projects", params={"title": title, "page_size": 100}).json()
        for p in found.get("results", []):
            if p.get("title") == title:
                return int(p["id"])
        made = self._call("POST", "/api/projects", json={
            "title": title, "label_config": label_config, "maximum_annotations": maximum_annotations,
            "show_collab_predictions": True, "show_skip_button": True,
            "description": "Disputed, uncertain and actively sampled calls (redacted text only)."}).json()
        return int(made["id"])

    def label_config(self, project: int) -> str:
        return self._call("GET", f"/api/projects/{project}").json()["label_config"]

    # -- tasks --------------------------------------------------------------------------------------
    def tasks(self, project: int, *, fields: str = "task_only", page_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every task of ``project``, oldest first (``fields="all"`` adds predictions and annotations)."""
        page, seen = 1, 0
        while True:
            r = self._call("GET", "/api/tasks", params={"project": project, "page": page, "page_size": page_size,
                                                        "fields": fields})
            if r.status_code == 404:  # past the last page
                return
            body = r.json()
            batch = body.get("tasks", [])
            yield from batch
            seen += len(batch)
            if not batch or seen >= int(body.get("total", seen)):
                return
            page += 1

    def import_tasks(self, project: int, tasks: list[dict[str, Any]]) -> list[int]:
        """Import ``tasks`` (each ``{"data": ..., "predictions": [...]}``) in one request; their new ids."""
        r = self._call("POST", f"/api/projects/{project}/import", params={"return_task_ids": "true"},
                       content=json.dumps(tasks), headers={"Content-Type": "application/json"})
        return [int(i) for i in r.json().get("task_ids", [])]

    def annotations(self, task: int) -> list[dict[str, Any]]:
        return self._call("GET", f"/api/tasks/{task}/annotations").json()

    def annotate(self, task: int, result: list[dict[str, Any]]) -> dict[str, Any]:
        """Record an annotation on ``task`` as the token's user."""
        return self._call("POST", f"/api/tasks/{task}/annotations", json={"result": result}).json()

    def users(self) -> dict[int, str]:
        """User id -> email."""
        return {int(u["id"]): str(u.get("email") or u.get("username")) for u in self._call("GET", "/api/users/").json()}

    def whoami(self) -> dict[str, Any]:
        return self._call("GET", "/api/current-user/whoami").json()


def _refusal(r: httpx.Response) -> str:
    """The fields Label Studio names in a refusal (never the values it echoes)."""
    try:
        body = r.json()
    except ValueError:
        return ""
    fields = body.get("validation_errors") or {k: v for k, v in body.items() if isinstance(v, list)}
    return ("fields: " + ", ".join(sorted(fields))) if isinstance(fields, dict) and fields else str(body.get("detail", ""))[:120]
