"""/auth/oauth (sign in with a provider) and /users/me/identities (the caller's links)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse

from ..auth.guards import (
    UNAUTHORIZED,
    AttemptCounterDep,
    AuthSettingsDep,
    AuthStoreDep,
    CurrentUser,
)
from ..auth.schemas import TokenPair
from ..core.openapi import VALIDATION_PROBLEM, problem
from ..database.dependencies import SessionDep
from . import service
from .schemas import LoginCodeExchange
from .service import ProviderAnswer, SignIn

router = APIRouter(prefix="/auth/oauth", tags=["auth"])
identities_router = APIRouter(prefix="/users/me/identities", tags=["users"])

ProviderName = Annotated[str, Path(max_length=32)]
# Generous bounds for what providers send; longer is no sign-in of theirs.
_Param = Annotated[str | None, Query(max_length=4096)]
# Sign-in answers are one person's, once: never kept by a cache on the way.
_NO_STORE = {"Cache-Control": "no-store"}
_TOO_MANY = problem(
    "Too many failed attempts from this client", headers={"Retry-After": "seconds to wait"}
)


def _redirect(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
    }


async def get_sign_in(request: Request) -> SignIn:
    sign_in: SignIn = request.app.state.oauth
    return sign_in


SignInDep = Annotated[SignIn, Depends(get_sign_in)]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get(
    "/{provider}/authorize",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        302: _redirect("To the provider's sign-in, with state, nonce and PKCE challenge"),
        400: problem("redirect_to is not on OAUTH_REDIRECT_ALLOWLIST"),
        404: problem("No provider of this name"),
        502: problem("The provider's discovery failed"),
    },
)
async def oauth_authorize(
    provider: ProviderName, sign_in: SignInDep, redirect_to: _Param = None
) -> RedirectResponse:
    """Start signing in with ``provider``; it ends at ``redirect_to`` with a login code."""
    url = await service.authorize(sign_in, provider, redirect_to)
    return RedirectResponse(url, status_code=302, headers=_NO_STORE)


@router.get(
    "/{provider}/callback",
    status_code=303,
    response_class=RedirectResponse,
    responses={
        303: _redirect("To redirect_to with #code=<login code> or #error=<code>"),
        400: problem("The state is missing, unknown, expired or already used"),
        404: problem("No provider of this name"),
        429: _TOO_MANY,
    },
)
async def oauth_callback(  # noqa: PLR0913  (the provider's query, one parameter each)
    *,
    provider: ProviderName,
    request: Request,
    sign_in: SignInDep,
    attempts: AttemptCounterDep,
    state: _Param = None,
    code: _Param = None,
    error: _Param = None,
    iss: _Param = None,
) -> RedirectResponse:
    """Where the provider sends the browser back; it goes on to the front end."""
    answer = ProviderAnswer(state=state, code=code, error=error, issuer=iss)
    url = await service.callback(sign_in, provider, answer, attempts, _client(request))
    return RedirectResponse(url, status_code=303, headers=_NO_STORE)


@router.post(
    "/exchange",
    responses={
        400: problem("The login code is unknown, expired or already used"),
        422: VALIDATION_PROBLEM,
        429: _TOO_MANY,
    },
)
async def oauth_exchange(  # noqa: PLR0913  (the body and the services)
    *,
    data: LoginCodeExchange,
    request: Request,
    sign_in: SignInDep,
    store: AuthStoreDep,
    settings: AuthSettingsDep,
    attempts: AttemptCounterDep,
) -> TokenPair:
    """The login code of a finished sign-in for an access token and a refresh token."""
    return await service.exchange(
        sign_in, store, settings, attempts, code=data.code, client=_client(request)
    )


@identities_router.delete(
    "/{provider}",
    status_code=204,
    responses={
        401: UNAUTHORIZED,
        404: problem("No identity of this provider is linked to you"),
        409: problem("It is your last way to sign in"),
    },
)
async def unlink_identity(provider: ProviderName, caller: CurrentUser, session: SessionDep) -> None:
    """Stop signing in with ``provider``; refused when nothing else would let you in."""
    await service.unlink(session, caller, provider)
