"""The append-only audit store: every suggestion shown and every decision recorded, for governance.

SQLAlchemy Core over SQLite by default (WAL journal, ``synchronous=FULL``: a commit is on disk when it
returns) or PostgreSQL by URL (``postgresql+psycopg://``, the ``postgres`` extra). Rows are only ever
inserted: database triggers refuse UPDATE and DELETE on both tables (and TRUNCATE on PostgreSQL), so a bug
cannot rewrite history. Only redacted text is stored. A suggestion is
acknowledged to the client only after its row is committed, so nothing acknowledged is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import (Boolean, Column, DateTime, Float, ForeignKey, Integer, MetaData, String, Table, Text,
                        create_engine, event, insert, select)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from rcrp.models.errors import ErrorCode, RcrpError

__all__ = ["AuditStore", "SuggestionRecord", "DecisionRecord", "DuplicateDecision"]

metadata = MetaData()

suggestions = Table(
    "suggestions", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("call_ref", String(128)),
    Column("narrative_redacted", Text, nullable=False),
    Column("model_version", String(256), nullable=False),
    Column("category", String(64), nullable=False),
    Column("category_scores", Text, nullable=False),  # JSON: label -> probability
    Column("police_response_required", Boolean, nullable=False),
    Column("police_response_score", Float, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("uncertain", Boolean, nullable=False),
    Column("reasons", Text, nullable=False),  # JSON list of {kind, text, target, weight}
    Column("subject", Text, nullable=False),  # JSON: attribute -> value (taxonomy values only)
    Column("role", String(32), nullable=False),
    Column("key_id", Integer),
)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("suggestion_id", String(32), ForeignKey("suggestions.id"), nullable=False, unique=True),
    Column("decided_at", DateTime(timezone=True), nullable=False, index=True),
    Column("category", String(64), nullable=False),
    Column("police_attend", Boolean, nullable=False),
    Column("reason_redacted", Text),
    Column("disputed", Boolean, nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("key_id", Integer),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("role", String(32), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("label", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

_APPEND_ONLY_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    for table in ("suggestions", "decisions") for verb in ("UPDATE", "DELETE")
]

# CREATE OR REPLACE TRIGGER needs PostgreSQL 14 or newer.
_APPEND_ONLY_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION rcrp_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    # No '%' placeholder here: the driver would read it as a parameter marker.
    "RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only', ERRCODE = 'insufficient_privilege'; "
    "END $$",
    *(f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
      f"FOR EACH ROW EXECUTE FUNCTION rcrp_refuse_change()" for table in ("suggestions", "decisions")),
    *(f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
      f"FOR EACH STATEMENT EXECUTE FUNCTION rcrp_refuse_change()" for table in ("suggestions", "decisions")),
]
_APPEND_ONLY = {"sqlite": _APPEND_ONLY_SQLITE, "postgresql": _APPEND_ONLY_POSTGRESQL}


def _engine(url: str) -> Engine:
    """An engine for a supported audit database, or a coded error naming the setting (never a traceback)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise RcrpError(ErrorCode.SETTINGS_INVALID, detail="RCRP_AUDIT_URL: not a database URL") from None
    if backend not in _APPEND_ONLY:
        # Refused rather than run without the guarantee that history cannot be rewritten.
        raise RcrpError(ErrorCode.SETTINGS_INVALID,
                        detail=f"RCRP_AUDIT_URL: {backend} is not supported (use sqlite:/// or postgresql+psycopg://)")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        return create_engine(url, future=True)
    except ImportError:
        raise RcrpError(ErrorCode.SETTINGS_INVALID,
                        detail=f"RCRP_AUDIT_URL: the {backend} driver is not installed (the postgres extra)") from None


def _now() -> datetime:
    return datetime.now(timezone.utc)


class DuplicateDecision(Exception):
    """A decision was already recorded for the suggestion."""


@dataclass(frozen=True)
class SuggestionRecord:
    id: str
    call_ref: str | None
    narrative_redacted: str
    model_version: str
    category: str
    category_scores: dict[str, float]
    police_response_required: bool
    police_response_score: float
    threshold: float
    uncertain: bool
    reasons: list[dict[str, Any]]
    subject: dict[str, str]
    role: str
    key_id: int | None


@dataclass(frozen=True)
class DecisionRecord:
    suggestion_id: str
    category: str
    police_attend: bool
    reason_redacted: str | None
    disputed: bool
    role: str
    key_id: int | None


class AuditStore:
    """Inserts and reads audit rows. One instance per process; it is safe to share between threads.

    Parameters
    ----------
    url : SQLAlchemy database URL (``sqlite:///path`` or ``postgresql+psycopg://...``).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = _engine(url)
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            with self.engine.begin() as conn:
                if dialect == "postgresql":
                    # Worker processes starting together would otherwise race on CREATE OR REPLACE.
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7201304)")
                metadata.create_all(conn)
                for ddl in _APPEND_ONLY[dialect]:
                    conn.exec_driver_sql(ddl)
        except OperationalError as exc:
            raise RcrpError(ErrorCode.SETTINGS_INVALID,
                            detail=f"RCRP_AUDIT_URL: the database cannot be reached ({type(exc.orig).__name__})") from None

    # -- writing ------------------------------------------------------------------------------------
    def add_suggestions(self, records: Iterable[SuggestionRecord]) -> None:
        """Insert suggestions in one transaction; when this returns they are committed."""
        rows = [{**r.__dict__, "created_at": _now(), "category_scores": json.dumps(r.category_scores),
                 "reasons": json.dumps(r.reasons), "subject": json.dumps(r.subject)} for r in records]
        with self.engine.begin() as conn:
            conn.execute(insert(suggestions), rows)

    def add_decision(self, record: DecisionRecord) -> datetime:
        """Insert a decision; raises ``DuplicateDecision`` if the suggestion already has one."""
        at = _now()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(decisions).values(**record.__dict__, decided_at=at))
        except IntegrityError:
            raise DuplicateDecision(record.suggestion_id) from None
        return at

    # -- reading ------------------------------------------------------------------------------------
    def suggestion(self, suggestion_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(suggestions).where(suggestions.c.id == suggestion_id)).mappings().first()
        return _decoded(row) if row else None

    def calls(self, start: datetime | None = None, end: datetime | None = None, *, disputed_only: bool = False
              ) -> list[dict[str, Any]]:
        """Suggestions joined with their decision (None where not yet decided), oldest first."""
        query = select(suggestions, decisions.c.decided_at, decisions.c.category.label("decided_category"),
                       decisions.c.police_attend, decisions.c.reason_redacted, decisions.c.disputed,
                       decisions.c.role.label("decided_by_role")).select_from(
            suggestions.outerjoin(decisions, decisions.c.suggestion_id == suggestions.c.id))
        if start is not None:
            query = query.where(suggestions.c.created_at >= start)
        if end is not None:
            query = query.where(suggestions.c.created_at < end)
        if disputed_only:
            query = query.where(decisions.c.disputed.is_(True))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(suggestions.c.created_at, suggestions.c.id)).mappings().all()
        return [_decoded(r) for r in rows]

    def count(self, table: str) -> int:
        from sqlalchemy import func

        target = {"suggestions": suggestions, "decisions": decisions}[table]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(target)).scalar_one())


def _decoded(row) -> dict[str, Any]:
    out = dict(row)
    for key in ("category_scores", "reasons", "subject"):
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    for key in ("created_at", "decided_at"):
        if isinstance(out.get(key), datetime):
            value = out[key]
            out[key] = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()
    return out


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a commit is durable when it returns (the default NORMAL is not, in WAL)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
