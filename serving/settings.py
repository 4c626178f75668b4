"""The suggestion service's settings: the core settings plus what only the service needs (prefix ``RCRP_``).

Built once in ``create_app`` (never at import time) and handed to routes as a dependency.
"""

from __future__ import annotations

from pydantic import Field

from rcrp.models.settings import Settings

__all__ = ["ServingSettings"]


class ServingSettings(Settings):
    audit_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the audit store; default: SQLite at data_dir/audit/audit.db.")
    max_batch: int = Field(default=100, gt=0, le=10_000, description="Narratives accepted in one batch request.")
    max_body_bytes: int = Field(default=2_000_000, gt=0, description="Request bodies larger than this are refused.")
    model_refresh_seconds: float = Field(
        default=30.0, ge=0.0, description="How often the registry is asked whether a new champion is live; 0: never.")
    model_cache_dir: str | None = Field(default=None, description="Where downloaded model versions are kept.")

    def audit_database_url(self) -> str:
        if self.audit_url:
            return self.audit_url
        return f"sqlite:///{(self.data_dir / 'audit' / 'audit.db').resolve()}"
