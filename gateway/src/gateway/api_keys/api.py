from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from fours_contracts import Integer
from pydantic import BaseModel, Field, WithJsonSchema, field_validator
from servicekit.kit import KitDep
from servicekit.permissions import Allowed, Permission

from gateway.api_keys import rules, service

router = APIRouter(prefix="/api/v1/api-keys", tags=["api keys"])
GeneralManager = Allowed(Permission.ADMIN)
KNOWN_SCOPES = rules.INTEGRATION_SCOPES | {p.value for p in Permission if p != Permission.ADMIN}
Scope = Annotated[str, WithJsonSchema({"type": "string", "enum": sorted(KNOWN_SCOPES)})]
"""A scope the key may be given, listed in the schema (the validator below names the unknown ones)."""


class ApiKeyIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    partner: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$", examples=["picc"])]
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=20)]
    rate_per_minute: Annotated[Integer | None, Field(ge=1, le=100_000)] = None

    @field_validator("scopes")
    @classmethod
    def _known(cls, scopes: list[str]) -> list[str]:
        unknown = sorted(set(scopes) - KNOWN_SCOPES)
        if unknown:
            raise ValueError(f"unknown scopes {unknown}; known: {sorted(KNOWN_SCOPES)}")
        return sorted(set(scopes))


class ApiKey(BaseModel):
    id: str
    name: str
    partner: str
    scopes: list[str]
    rate_per_minute: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewApiKey(ApiKey):
    key: str
    """Shown once; only its hash is kept."""


class ApiKeys(BaseModel):
    items: list[ApiKey]
    next_cursor: str | None = None


@router.post("", status_code=201, response_model=NewApiKey)
async def create_key(body: ApiKeyIn, kit: KitDep, principal: GeneralManager) -> dict[str, Any]:
    return await service.create(kit, body.model_dump(), by=principal.username)


@router.get("", response_model=ApiKeys)
async def list_keys(kit: KitDep, _: GeneralManager) -> dict[str, Any]:
    return {"items": await service.listing(kit)}


@router.delete("/{key_id}", status_code=204, responses={404: {}})
async def revoke_key(key_id: str, kit: KitDep, _: GeneralManager) -> None:
    await service.revoke(kit, key_id)
