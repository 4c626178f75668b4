"""API keys per role, stored as SHA-256 hashes (a key is shown once, when it is made).

Keys are 256 random bits, so a plain SHA-256 of the key is enough to keep a stolen database from giving
usable keys; a slow password hash would only slow every request.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from rcrp.serving.audit import api_keys

__all__ = ["ROLES", "KeyRing", "ApiKey"]

ROLES: tuple[str, ...] = ("handler", "analyst", "governance", "admin")
_PREFIX = "rcrp_"


@dataclass(frozen=True)
class ApiKey:
    id: int
    role: str
    label: str
    created_at: str
    revoked: bool


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyRing:
    """Makes, checks and revokes API keys in the audit database.

    Parameters
    ----------
    engine : the audit database.
    cache_seconds : how long a checked key's answer is remembered (every request checks its key; the
        database is asked at most once per key in this time). A key revoked through this ring is forgotten
        at once; one revoked elsewhere (another process, ``rcrp keys revoke``) stops working within it.
    """

    def __init__(self, engine: Engine, cache_seconds: float = 5.0) -> None:
        self.engine = engine
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, tuple[int, str] | None]] = {}

    def create(self, role: str, label: str = "") -> tuple[int, str]:
        """A new key for ``role``: returns (key id, the key). Only the hash is stored."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        key = _PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            key_id = conn.execute(insert(api_keys).values(role=role, key_hash=hash_key(key), label=label[:128],
                                                          created_at=datetime.now(timezone.utc))).inserted_primary_key[0]
        return int(key_id), key

    def lookup(self, key: str | None) -> tuple[int, str] | None:
        """(key id, role) of a valid, unrevoked key; None otherwise."""
        if not key or not key.startswith(_PREFIX) or len(key) > 200:
            return None
        digest = hash_key(key)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and now - hit[0] < self.cache_seconds:
            return hit[1]
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys.c.id, api_keys.c.role, api_keys.c.revoked_at)
                               .where(api_keys.c.key_hash == digest)).first()
        found = None if row is None or row.revoked_at is not None else (int(row.id), str(row.role))
        if len(self._cache) > 10_000:  # unknown keys are remembered too: bound what a key-guessing client can grow
            self._cache.clear()
        self._cache[digest] = (now, found)
        return found

    def revoke(self, key_id: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                                .values(revoked_at=datetime.now(timezone.utc)))
        self._cache.clear()
        return done.rowcount == 1

    def list(self) -> list[ApiKey]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.id)).mappings().all()
        return [ApiKey(int(r["id"]), r["role"], r["label"], r["created_at"].isoformat(), r["revoked_at"] is not None)
                for r in rows]
