"""The labelling loop's settings: the core settings plus where Label Studio is and how to reach it
(prefix ``RCRP_``). The only reader of the environment for labelling; built by the commands, never at import.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from rcrp.models.settings import Settings

__all__ = ["LabellingSettings"]


class LabellingSettings(Settings):
    label_studio_url: str = Field(default="http://127.0.0.1:8080", description="The Label Studio server.")
    label_studio_token: str | None = Field(
        default=None, description="API token of the Label Studio account the commands use; for a local server "
                                  "started by `rcrp label studio`, default: the one it made (in its data folder).")
    label_studio_username: str = Field(default="admin@rcrp.local", description="Admin login of a local server.")
    label_studio_password: str | None = Field(
        default=None, description="Admin password of a local server; default: one made on first start and kept.")
    label_studio_venv: Path = Field(
        default=Path(".venv-label-studio"),
        description="Virtualenv holding the pinned label-studio package (a separate service: it pins Django, "
                    "numpy and more, which must not constrain this project's environment).")
    label_studio_project: str = Field(default="RCRP triage review", min_length=1, max_length=50,
                                      description="Title of the Label Studio project the loop uses.")
    labelling_auto_promote: bool = Field(
        default=False, description="Promote a retrained challenger that passes the gate (default: only report).")
    service_url: str | None = Field(default=None, description="The suggestion service, for its disputed calls.")
    analyst_key: str | None = Field(default=None, description="An analyst API key of the suggestion service.")

    def label_studio_dir(self) -> Path:
        """The local server's data folder (its database, uploads, and the login it was started with)."""
        return (self.data_dir / "label-studio").resolve()
