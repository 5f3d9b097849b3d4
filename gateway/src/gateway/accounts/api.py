from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Request, Response
from pydantic import BaseModel, Field, StrictBool
from servicekit.auth import CurrentPrincipal
from servicekit.errors import Unauthorized
from servicekit.kit import KitDep
from servicekit.permissions import ROLE_PERMISSIONS, Allowed, Permission
from servicekit.roles import Role

from gateway.accounts import service

router = APIRouter(prefix="/api/v1", tags=["auth"])
GeneralManager = Allowed(Permission.ADMIN)


class Credentials(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class Session(BaseModel):
    """A browser's session: the access token to keep in memory; the refresh token went into an
    HttpOnly cookie that only the session paths receive."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int


class RefreshIn(BaseModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=512)]


class UserIn(BaseModel):
    username: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{2,64}$")]
    password: Annotated[str, Field(min_length=10, max_length=256)]
    role: Role
    employee_no: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")] = None
    team: Annotated[str | None, Field(max_length=64)] = None


class User(BaseModel):
    id: str
    username: str
    role: str
    employee_no: str | None
    team: str | None
    active: bool = True


class Users(BaseModel):
    items: list[User]
    next_cursor: str | None = None


class UserChange(BaseModel):
    """What is left out stays; employee number and team may be removed (null), role and active not."""

    role: Role = None  # type: ignore[assignment]
    employee_no: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")] = None
    team: Annotated[str | None, Field(max_length=64)] = None
    active: StrictBool = None  # type: ignore[assignment]


class PasswordReset(BaseModel):
    password: Annotated[str, Field(min_length=10, max_length=256)]


class PasswordChange(BaseModel):
    current_password: Annotated[str, Field(min_length=1, max_length=256)]
    new_password: Annotated[str, Field(min_length=10, max_length=256)]


class RoleInfo(BaseModel):
    role: str
    permissions: list[str]


class Me(BaseModel):
    id: str
    username: str
    role: str
    employee_no: str | None
    team: str | None


@router.post("/auth/token", response_model=Tokens, responses={401: {}})
async def token(body: Credentials, kit: KitDep) -> dict[str, Any]:
    return await service.login(kit, body.username, body.password)


@router.post("/auth/refresh", response_model=Tokens, responses={401: {}})
async def refresh(body: RefreshIn, kit: KitDep) -> dict[str, Any]:
    return await service.refresh(kit, body.refresh_token)


@router.post("/auth/logout", status_code=204, responses={401: {}})
async def logout(body: RefreshIn, kit: KitDep, _: CurrentPrincipal) -> None:
    await service.logout(kit, body.refresh_token)


SESSION_PATH = "/api/v1/auth/session"
REFRESH_COOKIE = "fours_refresh"
RefreshCookie = Annotated[str | None, Cookie(alias=REFRESH_COOKIE, max_length=512)]


def _keep_refresh(response: Response, request: Request, kit: KitDep, tokens: dict[str, Any]) -> dict[str, Any]:
    """Puts the refresh token where JavaScript cannot read it and other sites cannot send it."""
    settings = service.settings_of(kit)
    secure = settings.cookie_secure if settings.cookie_secure is not None else request.url.scheme == "https"
    response.set_cookie(
        REFRESH_COOKIE,
        tokens["refresh_token"],
        max_age=settings.refresh_ttl_seconds,
        path=SESSION_PATH,
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    response.headers["Cache-Control"] = "no-store"
    return {key: value for key, value in tokens.items() if key != "refresh_token"}


@router.post(SESSION_PATH.removeprefix("/api/v1"), response_model=Session, responses={401: {}})
async def open_session(body: Credentials, request: Request, response: Response, kit: KitDep) -> dict[str, Any]:
    """Sign in from the staff console (a browser): like ``/auth/token``, but the refresh token is
    set as an HttpOnly, SameSite=Strict cookie on ``/api/v1/auth/session`` instead of returned."""
    return _keep_refresh(response, request, kit, await service.login(kit, body.username, body.password))


@router.post(SESSION_PATH.removeprefix("/api/v1") + "/refresh", response_model=Session, responses={401: {}})
async def refresh_session(
    request: Request, response: Response, kit: KitDep, refresh_token: RefreshCookie = None
) -> dict[str, Any]:
    """A new access token from the session cookie, which is rotated (a used one ends the session)."""
    if not refresh_token:
        raise Unauthorized("no session: sign in", code="no-session")
    return _keep_refresh(response, request, kit, await service.refresh(kit, refresh_token))


@router.delete(SESSION_PATH.removeprefix("/api/v1"), status_code=204)
async def close_session(kit: KitDep, refresh_token: RefreshCookie = None) -> Response:
    """Sign out: the session's refresh tokens are revoked and its cookie removed (also when none)."""
    if refresh_token:
        await service.logout(kit, refresh_token)
    response = Response(status_code=204)
    response.delete_cookie(REFRESH_COOKIE, path=SESSION_PATH, httponly=True, samesite="strict")
    return response


@router.get("/me", response_model=Me)
async def me(principal: CurrentPrincipal) -> Me:
    return Me(
        id=principal.subject,
        username=principal.username,
        role=principal.role,
        employee_no=principal.employee_no,
        team=principal.team,
    )


@router.post("/users", status_code=201, response_model=User, responses={409: {}})
async def create_user(body: UserIn, kit: KitDep, _: GeneralManager) -> dict[str, Any]:
    return await service.create_user(
        kit,
        username=body.username,
        password=body.password,
        role=body.role,
        employee_no=body.employee_no,
        team=body.team,
    )


@router.get("/users", response_model=Users)
async def list_users(kit: KitDep, _: GeneralManager) -> dict[str, Any]:
    return {"items": await service.list_users(kit)}


@router.patch("/users/{user_id}", response_model=User, responses={404: {}})
async def change_user(user_id: str, body: UserChange, kit: KitDep, _: GeneralManager) -> dict[str, Any]:
    return await service.update_user(kit, user_id, body.model_dump(exclude_unset=True))


@router.post("/users/{user_id}/password", status_code=204, responses={404: {}})
async def reset_password(user_id: str, body: PasswordReset, kit: KitDep, _: GeneralManager) -> None:
    await service.reset_password(kit, user_id, body.password)


@router.post("/auth/password", status_code=204, responses={422: {}})
async def change_password(body: PasswordChange, kit: KitDep, principal: CurrentPrincipal) -> None:
    await service.change_own_password(kit, principal.subject, body.current_password, body.new_password)


@router.get("/roles", response_model=list[RoleInfo])
async def roles(_: CurrentPrincipal) -> list[dict[str, Any]]:
    """The role → permission table every service enforces."""
    return [
        {"role": role.value, "permissions": sorted(p.value for p in perms)} for role, perms in ROLE_PERMISSIONS.items()
    ]
