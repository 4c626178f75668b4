"""``/v1/keys``: API keys per role (admin role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path as PathParam

from rcrp.serving.deps import Caller, KeyRingDep, require_role
from rcrp.serving.errors import ApiCode, ApiError
from rcrp.serving.schemas import KeyOut, KeyRequest

router = APIRouter(prefix="/v1/keys", tags=["keys"])
Admin = Annotated[Caller, Depends(require_role("admin"))]


@router.post("", response_model=KeyOut, status_code=201, summary="Make a key (shown once)")
def create_key(body: KeyRequest, keys: KeyRingDep, caller: Admin) -> KeyOut:
    key_id, key = keys.create(body.role, body.label)
    return KeyOut(id=key_id, role=body.role, label=body.label, key=key)


@router.get("", response_model=list[KeyOut], summary="Keys, without their secrets")
def list_keys(keys: KeyRingDep, caller: Admin) -> list[KeyOut]:
    return [KeyOut(id=k.id, role=k.role, label=k.label, created_at=k.created_at, revoked=k.revoked) for k in keys.list()]


@router.delete("/{key_id}", status_code=204, summary="Revoke a key")
def revoke_key(keys: KeyRingDep, caller: Admin, key_id: Annotated[int, PathParam(ge=1, le=2**31)]) -> None:
    if not keys.revoke(key_id):
        raise ApiError(404, ApiCode.NOT_FOUND, field="key_id")
