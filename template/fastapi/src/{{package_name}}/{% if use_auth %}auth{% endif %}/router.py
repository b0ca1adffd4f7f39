"""/auth (sign in, refresh, sign out) and /users/me (the caller's own account)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from ..users.schemas import UserPublic
from . import service
from .dependencies import AttemptCounterDep, AuthSettingsDep, AuthStoreDep, CurrentUser
from .schemas import AccountUpdate, Credentials, RefreshRequest, TokenPair

router = APIRouter(prefix="/auth", tags=["auth"])
account_router = APIRouter(prefix="/users/me", tags=["users"])

_FORM = "application/x-www-form-urlencoded"
_UNAUTHORIZED: dict[int | str, dict[str, Any]] = {401: {"description": "Not signed in"}}
# Both bodies /auth/token accepts, for the OpenAPI document (the docs' Authorize sends the form).
_TOKEN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": Credentials.model_json_schema()},
            _FORM: {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {"type": "string", "description": "the email"},
                        "password": {"type": "string", "format": "password"},
                    },
                }
            },
        },
    }
}


async def _read_credentials(request: Request) -> Credentials:
    """JSON ``{email, password}``, or the OAuth2 password form (``username``, ``password``)."""
    try:
        if request.headers.get("content-type", "").startswith(_FORM):
            form = await request.form()
            return Credentials.model_validate(
                {"email": form.get("username"), "password": form.get("password")}
            )
        return Credentials.model_validate(await request.json())
    except ValidationError as exc:
        errors = [
            {"loc": ["body", *error["loc"]], "msg": error["msg"], "type": error["type"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
        raise RequestValidationError(errors) from None
    except ValueError:
        body_error = {"loc": ["body"], "msg": "not valid JSON", "type": "json_invalid"}
        raise RequestValidationError([body_error]) from None


@router.post(
    "/token",
    openapi_extra=_TOKEN_BODY,
    responses={401: {"description": "Wrong email or password"}, 429: {"description": "Wait"}},
)
async def issue_token(
    request: Request, store: AuthStoreDep, settings: AuthSettingsDep, attempts: AttemptCounterDep
) -> TokenPair:
    """Sign in: an access token and a refresh token of a new session."""
    credentials = await _read_credentials(request)
    client = request.client.host if request.client else "unknown"
    return await service.sign_in(
        store,
        settings,
        attempts,
        email=credentials.email,
        password=credentials.password,
        client=client,
    )


@router.post("/refresh", responses={401: {"description": "Invalid or reused refresh token"}})
async def refresh_token(
    data: RefreshRequest, store: AuthStoreDep, settings: AuthSettingsDep
) -> TokenPair:
    """A new pair for a refresh token, which stops working; reusing it ends the session."""
    return await service.refresh(store, settings, data.refresh_token)


@router.post("/logout", status_code=204)
async def logout(data: RefreshRequest, store: AuthStoreDep) -> None:
    """End the session the refresh token belongs to."""
    await service.sign_out(store, data.refresh_token)


@account_router.get("", responses=_UNAUTHORIZED)
async def read_me(caller: CurrentUser) -> UserPublic:
    return UserPublic.of(caller)


@account_router.patch("", responses=_UNAUTHORIZED)
async def update_me(data: AccountUpdate, caller: CurrentUser, store: AuthStoreDep) -> UserPublic:
    """Change your name and/or password."""
    return UserPublic.of(await service.update_account(store, caller, data))
