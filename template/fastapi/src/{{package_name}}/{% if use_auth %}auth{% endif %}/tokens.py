"""Access tokens (signed JWTs) and refresh tokens (opaque random strings).

A refresh token is not a JWT at all, so it can never pass as an access token; the server
keeps only its SHA-256 digest (``store.py``), which is enough to find it and useless to a
thief of the database.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import jwt

from ..core.timestamps import utc_now
from .config import AuthSettings
from .errors import InvalidTokenError

if TYPE_CHECKING:
    from .verified import VerifiedTokens

_REQUIRED_CLAIMS = ["sub", "role", "iat", "exp", "iss", "aud", "jti"]


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    role: str
    # The ``exp`` claim, in seconds since the epoch: a long-lived connection ends there.
    expires_at: int


def _signing_key(settings: AuthSettings) -> str:
    if settings.jwt_private_key is not None and not settings.jwt_algorithm.startswith("HS"):
        return settings.jwt_private_key.get_secret_value()
    return settings.jwt_secret.get_secret_value()


def _verifying_key(settings: AuthSettings) -> str:
    if settings.jwt_public_key is not None and not settings.jwt_algorithm.startswith("HS"):
        return settings.jwt_public_key
    return settings.jwt_secret.get_secret_value()


def issue_access_token(settings: AuthSettings, user_id: uuid.UUID, role: str) -> str:
    now = utc_now()
    claims = {
        "sub": str(user_id),
        "role": role,
        "iat": now,
        "exp": now + timedelta(seconds=settings.access_token_ttl_seconds),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, _signing_key(settings), algorithm=settings.jwt_algorithm)


def read_access_token(
    settings: AuthSettings, token: str, verified: "VerifiedTokens"
) -> AccessClaims:
    """The verified claims; InvalidTokenError for anything else, whatever the reason.

    A token that passed here before, and has not expired since, is answered from ``verified``.
    """
    remembered = verified.get(token)
    if remembered is not None:
        return remembered
    try:
        claims = jwt.decode(
            token,
            _verifying_key(settings),
            # Pinned: the token's own header never chooses the algorithm ("none",
            # or HS256 keyed with the public key, are refused here).
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": _REQUIRED_CLAIMS},
        )
        # exp is required and PyJWT checked it is a number.
        access = AccessClaims(
            user_id=uuid.UUID(str(claims["sub"])),
            role=str(claims["role"]),
            expires_at=int(claims["exp"]),
        )
    except (jwt.PyJWTError, ValueError):
        raise InvalidTokenError from None
    # A token with nbf is not remembered.
    if "nbf" not in claims:
        verified.remember(token, access, access.expires_at)
    return access


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def digest(refresh_token: str) -> str:
    """What the server stores: enough to find the token, not to present it."""
    return hashlib.sha256(refresh_token.encode()).hexdigest()
