"""FastAPI dependencies: settings, the audit store, the live model and the caller's role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from rcrp.serving.api_keys import KeyRing
from rcrp.serving.audit import AuditStore
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.live_model import LiveModel
from rcrp.serving.settings import ServingSettings

__all__ = ["Caller", "SettingsDep", "AuditDep", "LiveModelDep", "KeyRingDep", "require_role"]

_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key for one role.")


# async, though they only read app state: FastAPI runs a plain ``def`` dependency in its thread pool, a thread
# hop per dependency per request that waits for the interpreter lock while the scoring thread holds it.
async def _settings(request: Request) -> ServingSettings:
    return request.app.state.settings


async def _audit(request: Request) -> AuditStore:
    return request.app.state.audit


async def _live(request: Request) -> LiveModel:
    return request.app.state.live_model


async def _keys(request: Request) -> KeyRing:
    return request.app.state.keys


SettingsDep = Annotated[ServingSettings, Depends(_settings)]
AuditDep = Annotated[AuditStore, Depends(_audit)]
LiveModelDep = Annotated[LiveModel, Depends(_live)]
KeyRingDep = Annotated[KeyRing, Depends(_keys)]


@dataclass(frozen=True)
class Caller:
    key_id: int
    role: str


def require_role(*roles: str) -> Callable[..., Caller]:
    """A dependency admitting keys of ``roles``: 401 without a valid key, 403 with another role's key."""

    # async: a remembered key is answered without a thread hop; a new one costs one small indexed query.
    async def check(request: Request, keys: KeyRingDep, key: Annotated[str | None, Depends(_KEY_HEADER)] = None
                    ) -> Caller:
        found = keys.lookup(key)
        if found is None:
            raise ApiError(401, ApiCode.UNAUTHENTICATED)
        key_id, role = found
        if role not in roles:
            raise ApiError(403, ApiCode.FORBIDDEN)
        request.state.role = role
        return Caller(key_id, role)

    return check
