"""Use cases of signing in with a provider: authorize, callback, exchange, unlink.

The callback consumes the state first: from then on the sign-in has ended, and whatever
happened (a login code, or the reason it failed) goes back to the front end the state
names. Only a state that is missing, unknown, expired, used or another provider's is
answered here, with a 400, since there is then nowhere safe to send the browser.
"""

import logging
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..auth import service as auth_service
from ..auth.attempts import AttemptCounter
from ..auth.config import AuthSettings
from ..auth.errors import TooManyAttemptsError
from ..auth.schemas import TokenPair
from ..auth.store import AuthStore
from ..database.dependencies import open_session
from ..users.errors import EmailTakenError
from ..users.repository import User
from .codes import LoginCodeStore
from .errors import (
    IdentityNotLinkedError,
    InvalidLoginCodeError,
    InvalidOAuthStateError,
    LastSignInMethodError,
    RedirectNotAllowedError,
    RefusalCode,
    SignInRefusedError,
    UnknownProviderError,
)
from .identities import Identities, account_for
from .providers import IdTokenClaims, Provider
from .states import StateRecord, StateStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SignIn:
    """What the routes work with, built by ``lifespan.py`` while the app runs."""

    providers: dict[str, Provider]
    states: StateStore
    codes: LoginCodeStore
    allowlist: frozenset[str]
    sessionmaker: async_sessionmaker[AsyncSession]

    def provider(self, name: str) -> Provider:
        found = self.providers.get(name)
        if found is None:
            raise UnknownProviderError
        return found


@dataclass(frozen=True, slots=True)
class ProviderAnswer:
    """The query of the provider's redirect to the callback."""

    state: str | None
    code: str | None
    error: str | None
    issuer: str | None


async def authorize(sign_in: SignIn, provider_name: str, redirect_to: str | None) -> str:
    """The provider's URL to send the browser to, with a new state, nonce and PKCE verifier."""
    provider = sign_in.provider(provider_name)
    if redirect_to is None or redirect_to not in sign_in.allowlist:
        raise RedirectNotAllowedError
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    url = await provider.authorization_url(state=state, nonce=nonce, verifier=verifier)
    await sign_in.states.put(state, StateRecord(provider.name, verifier, nonce, redirect_to))
    return url


async def callback(
    sign_in: SignIn,
    provider_name: str,
    answer: ProviderAnswer,
    attempts: AttemptCounter,
    client: str,
) -> str:
    """Where the browser goes next: the front end, with a login code or an error code."""
    provider = sign_in.provider(provider_name)
    # Guessing states is what this limit slows down; a provider's refusal is no guess.
    key = f"oauth-state|{client}"
    wait = await attempts.blocked_for(key)
    if wait:
        raise TooManyAttemptsError(wait)
    record = await sign_in.states.take(answer.state) if answer.state else None
    if record is None or record.provider != provider.name:
        await attempts.fail(key)
        _log_refusal(provider.name, "invalid_oauth_state")
        raise InvalidOAuthStateError
    if record.redirect_to not in sign_in.allowlist:
        # Taken off OAUTH_REDIRECT_ALLOWLIST since the sign-in started: no longer sent anywhere.
        raise RedirectNotAllowedError
    try:
        user = await _signed_in(sign_in, provider, answer, record)
    except SignInRefusedError as refused:
        _log_refusal(provider.name, refused.code, refused.reason)
        return f"{record.redirect_to}#{urlencode({'error': refused.code})}"
    code = await sign_in.codes.issue(user.id)
    return f"{record.redirect_to}#{urlencode({'code': code})}"


async def exchange(  # noqa: PLR0913  (the code, where it comes from, and the services)
    sign_in: SignIn,
    store: AuthStore,
    settings: AuthSettings,
    attempts: AttemptCounter,
    *,
    code: str,
    client: str,
) -> TokenPair:
    """The token pair of ``POST /auth/token`` for a login code, which is then used up."""
    key = f"oauth-code|{client}"
    wait = await attempts.blocked_for(key)
    if wait:
        raise TooManyAttemptsError(wait)
    user_id = await sign_in.codes.take(code)
    user = None if user_id is None else await store.get_user(user_id)
    if user is None:
        await attempts.fail(key)
        raise InvalidLoginCodeError
    return await auth_service.start_session(store, settings, user)


async def providers_of(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    return await Identities(session).providers_of(user_id)


async def unlink(session: AsyncSession, user: User, provider: str) -> None:
    """Remove the user's identities at ``provider``, unless no other way in would be left."""
    identities = Identities(session)
    if provider not in await identities.providers_of(user.id):
        raise IdentityNotLinkedError
    if not await identities.other_ways_in(user.id, provider):
        raise LastSignInMethodError
    await identities.unlink(user.id, provider)


async def _signed_in(
    sign_in: SignIn, provider: Provider, answer: ProviderAnswer, record: StateRecord
) -> User:
    if answer.error is not None:
        code: RefusalCode = "access_denied" if answer.error == "access_denied" else "provider_error"
        raise SignInRefusedError(code, f"the provider answered {answer.error[:40]!r}")
    # RFC 9207: a provider that names itself must name the one this sign-in went to.
    if answer.issuer is not None and answer.issuer != provider.settings.issuer:
        raise SignInRefusedError("provider_error", "the iss parameter is another issuer")
    if not answer.code:
        raise SignInRefusedError("provider_error", "no code")
    id_token = await provider.exchange(answer.code, record.verifier)
    claims = await provider.verify(id_token, record.nonce)
    return await open_account(sign_in.sessionmaker, provider.name, claims)


async def open_account(
    sessionmaker: async_sessionmaker[AsyncSession], provider: str, claims: IdTokenClaims
) -> User:
    """The account of a verified ID token (identities.py's rules), in a transaction of its own."""
    try:
        return await _account(sessionmaker, provider, claims)
    except (EmailTakenError, IntegrityError):
        # A concurrent first sign-in won the race: this second attempt finds its account.
        return await _account(sessionmaker, provider, claims)


async def _account(
    sessionmaker: async_sessionmaker[AsyncSession], provider: str, claims: IdTokenClaims
) -> User:
    async with open_session(sessionmaker) as session, session.begin():
        return await account_for(session, provider, claims)


def _log_refusal(provider: str, code: str, reason: str | None = None) -> None:
    # Never the code, tokens, state, verifier or client secret: the provider and why.
    logger.warning(
        "OAuth sign-in refused", extra={"provider": provider, "code": code, "reason": reason}
    )
