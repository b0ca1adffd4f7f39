"""Use cases of auth: sign in, refresh, sign out, change one's own account."""

import uuid
from datetime import timedelta

from ..core.timestamps import utc_now
from ..users.repository import User
from . import tokens
from .attempts import AttemptCounter
from .config import AuthSettings
from .errors import InvalidCredentialsError, InvalidRefreshTokenError, TooManyAttemptsError
from .passwords import hash_password, verify_password
from .schemas import AccountUpdate, TokenPair
from .store import AuthStore


async def sign_in(  # noqa: PLR0913  (the credentials, where they come from, and the services)
    store: AuthStore,
    settings: AuthSettings,
    attempts: AttemptCounter,
    *,
    email: str,
    password: str,
    client: str,
) -> TokenPair:
    """A new token pair (a new family); the same 401 for an unknown email and a wrong password."""
    key = f"{email.strip().lower()}|{client}"
    wait = await attempts.blocked_for(key)
    if wait:
        raise TooManyAttemptsError(wait)
    found = await store.find_by_email(email.strip().lower())
    user, password_hash = found if found is not None else (None, None)
    # Verified even when the user is unknown (against a dummy hash): the same work, the
    # same answer, so the response time does not tell which emails have accounts.
    if not await verify_password(password_hash, password) or user is None:
        await attempts.fail(key)
        raise InvalidCredentialsError
    await attempts.reset(key)
    return await start_session(store, settings, user)


async def start_session(store: AuthStore, settings: AuthSettings, user: User) -> TokenPair:
    """The token pair of a new session (a new refresh family), however the user signed in."""
    return await _issue(store, settings, user, family_id=uuid.uuid4())


async def refresh(store: AuthStore, settings: AuthSettings, refresh_token: str) -> TokenPair:
    """Replace the refresh token with a new pair; a replayed one revokes its family."""
    found = await store.claim_refresh_token(tokens.digest(refresh_token))
    if found is None:
        raise InvalidRefreshTokenError
    if found.revoked:
        await store.revoke_family(found.family_id)
        await store.commit()
        raise InvalidRefreshTokenError
    if found.expires_at <= utc_now():
        raise InvalidRefreshTokenError
    user = await store.get_user(found.user_id)
    if user is None:
        raise InvalidRefreshTokenError
    return await _issue(store, settings, user, family_id=found.family_id)


async def sign_out(store: AuthStore, refresh_token: str) -> None:
    """Revoke the token's whole family; an unknown token is already signed out."""
    found = await store.claim_refresh_token(tokens.digest(refresh_token))
    if found is not None:
        await store.revoke_family(found.family_id)


async def update_account(store: AuthStore, user: User, data: AccountUpdate) -> User:
    password_hash = None if data.password is None else await hash_password(data.password)
    await store.update_user(user.id, name=data.name, password_hash=password_hash)
    updated = await store.get_user(user.id)
    return updated or user


async def _issue(
    store: AuthStore, settings: AuthSettings, user: User, *, family_id: uuid.UUID
) -> TokenPair:
    now = utc_now()
    refresh_token = tokens.new_refresh_token()
    await store.add_refresh_token(
        tokens.digest(refresh_token),
        family_id=family_id,
        user_id=user.id,
        expires_at=now + timedelta(seconds=settings.refresh_token_ttl_seconds),
        created_at=now,
    )
    return TokenPair(
        access_token=tokens.issue_access_token(settings, user.id, user.role),
        refresh_token=refresh_token,
        expires_in=settings.access_token_ttl_seconds,
    )
