"""The OpenID Connect providers: discovery, authorization URL, code exchange, ID token checks.

Discovery runs on a provider's first use and is kept (a provider down at start-up does not
stop the service; a failed discovery is tried again on the next use). Its signing keys are
kept too, and fetched again when a token names a key not among them, at most once a minute.
"""

import asyncio
import functools
import hmac
import logging
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, NoReturn

import httpx2
import jwt
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

from .config import ProviderSettings
from .errors import ProviderUnavailableError, SignInRefusedError

logger = logging.getLogger(__name__)

# Asymmetric signatures only: never "none", never HMAC (keyed with a public key, it would be
# a forgery anyone can make). The provider's discovery narrows this further.
SIGNING_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"})
# What a provider whose discovery names no algorithm signs with (OpenID Connect Discovery 1.0).
DEFAULT_ALGORITHMS = ("RS256",)
KEYS_REFETCH_SECONDS = 60
IAT_LEEWAY_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 10.0
MAX_SUBJECT_LENGTH = 255


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings of every client here, built once: each build reads the CA bundle."""
    return httpx2.create_ssl_context()


class UnusableDiscoveryError(ValueError):
    """The discovery document is not one this service can sign in with; the log says why."""


@dataclass(frozen=True, slots=True)
class Discovery:
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: frozenset[str]


@dataclass(frozen=True, slots=True)
class IdTokenClaims:
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


@dataclass
class _Keys:
    by_id: dict[str | None, dict[str, Any]] = field(default_factory=dict)
    fetched_at: float | None = None


class Provider:
    """One provider of ``OIDC_PROVIDERS``: its client, discovery and signing keys."""

    def __init__(
        self,
        settings: ProviderSettings,
        redirect_uri: str,
        http: httpx2.AsyncClient,
        *,
        allow_http: bool,
    ) -> None:
        self.settings = settings
        self.name = settings.name
        self.http = http
        self.allow_http = allow_http
        self.client = AsyncOAuth2Client(
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            scope=settings.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=HTTP_TIMEOUT_SECONDS,
            verify=tls_context(),
        )
        self._discovery: Discovery | None = None
        self._keys = _Keys()
        self._lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def discovery(self) -> Discovery:
        """The provider's endpoints; ProviderUnavailableError (502) when they cannot be had."""
        if self._discovery is None:
            async with self._lock:
                if self._discovery is None:
                    self._discovery = await self._discover()
        return self._discovery

    async def authorization_url(self, *, state: str, nonce: str, verifier: str) -> str:
        """Where the browser signs in: code flow, PKCE S256, this state and nonce."""
        discovery = await self.discovery()
        return self.authorization_url_at(
            discovery.authorization_endpoint, state=state, nonce=nonce, verifier=verifier
        )

    def authorization_url_at(self, endpoint: str, *, state: str, nonce: str, verifier: str) -> str:
        """``authorization_url`` at a known authorization endpoint."""
        url, _state = self.client.create_authorization_url(
            endpoint, state=state, code_verifier=verifier, nonce=nonce
        )
        return url

    async def exchange(self, code: str, verifier: str) -> str:
        """The ID token the token endpoint gives for ``code``; refusals are provider errors."""
        try:
            discovery = await self.discovery()
            tokens = await self.client.fetch_token(
                discovery.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
            )
        except OAuthError as exc:
            # The error code of the token endpoint (invalid_grant, ...) tells what went wrong.
            raise SignInRefusedError(
                "provider_error", f"token endpoint: {exc.error}"[:100]
            ) from None
        except (httpx2.HTTPError, ProviderUnavailableError, ValueError) as exc:
            raise SignInRefusedError(
                "provider_error", f"token endpoint: {type(exc).__name__}"
            ) from None
        id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
        if not isinstance(id_token, str):
            raise SignInRefusedError("invalid_id_token", "no ID token in the token response")
        return id_token

    async def verify(self, id_token: str, nonce: str) -> IdTokenClaims:
        """The ID token's claims once every check passed; else an ``invalid_id_token`` refusal."""
        try:
            key_id = jwt.get_unverified_header(id_token).get("kid")
            discovery = await self.discovery()
            jwk = await self._key(key_id)
        except jwt.PyJWTError as exc:
            return _refuse(type(exc).__name__)
        except (httpx2.HTTPError, ValueError, ProviderUnavailableError) as exc:
            return _refuse(f"signing keys: {type(exc).__name__}")
        if jwk is None:
            return _refuse("signing key not found")
        expected = Expected(self.settings.issuer, self.settings.client_id, nonce)
        return checked_id_token(id_token, jwk, discovery.algorithms, expected)

    async def _discover(self) -> Discovery:
        url = self.settings.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = await self.http.get(url, timeout=HTTP_TIMEOUT_SECONDS)
            response.raise_for_status()
            return self._read(response.json())
        except (httpx2.HTTPError, ValueError, KeyError) as exc:
            # Never the provider's answer: it may be anything, and it is not ours to show.
            reason = str(exc) if isinstance(exc, UnusableDiscoveryError) else type(exc).__name__
            logger.warning("OIDC discovery failed", extra={"provider": self.name, "reason": reason})
            raise ProviderUnavailableError(self.name) from None

    def _read(self, document: object) -> Discovery:
        if not isinstance(document, dict):
            msg = "the discovery document is no JSON object"
            raise UnusableDiscoveryError(msg)
        if document["issuer"] != self.settings.issuer:
            msg = "the discovered issuer is not OIDC_<NAME>_ISSUER"
            raise UnusableDiscoveryError(msg)
        endpoints = [
            document[key] for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        ]
        schemes = {"https", "http"} if self.allow_http else {"https"}
        if not all(isinstance(url, str) and url.split(":", 1)[0] in schemes for url in endpoints):
            msg = "an endpoint is not https"
            raise UnusableDiscoveryError(msg)
        announced = document.get("id_token_signing_alg_values_supported") or DEFAULT_ALGORITHMS
        algorithms = SIGNING_ALGORITHMS.intersection(announced)
        if not algorithms:
            msg = "no allowed ID token signing algorithm"
            raise UnusableDiscoveryError(msg)
        authorization, token, jwks = endpoints
        return Discovery(authorization, token, jwks, algorithms)

    async def _key(self, key_id: object) -> dict[str, Any] | None:
        """The JWK ``key_id`` names (or the only one, when the token names none)."""
        kid = key_id if isinstance(key_id, str) else None
        keys = self._keys
        stale = (
            keys.fetched_at is None or time.monotonic() - keys.fetched_at >= KEYS_REFETCH_SECONDS
        )
        if kid not in keys.by_id and stale:
            await self._fetch_keys()
        if kid is None and len(keys.by_id) == 1:
            return next(iter(keys.by_id.values()))
        return keys.by_id.get(kid)

    async def _fetch_keys(self) -> None:
        discovery = await self.discovery()
        # Counted from the attempt: a provider failing to answer is not asked again at once.
        self._keys.fetched_at = time.monotonic()
        response = await self.http.get(discovery.jwks_uri, timeout=HTTP_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            msg = "the JWKS has no keys"
            raise TypeError(msg)
        self._keys.by_id = {
            key.get("kid"): key
            for key in keys
            if isinstance(key, dict) and key.get("use", "sig") == "sig"
        }


@dataclass(frozen=True, slots=True)
class Expected:
    """What an ID token of this sign-in must say: who issued it, for whom, in answer to what."""

    issuer: str
    client_id: str
    nonce: str


def checked_id_token(
    id_token: str, jwk: dict[str, Any], algorithms: frozenset[str], expected: Expected
) -> IdTokenClaims:
    """The claims of an ID token signed with ``jwk``, once every check passed.

    The algorithm is one of ``algorithms`` (what discovery announced, asymmetric only) and
    the key is used with that algorithm alone; else an ``invalid_id_token`` refusal.
    """
    try:
        algorithm = jwt.get_unverified_header(id_token).get("alg")
        if algorithm not in algorithms:
            return _refuse(f"algorithm {str(algorithm)[:16]!r} not allowed")
        claims = jwt.decode(
            id_token,
            jwt.PyJWK(jwk, algorithm=algorithm),
            algorithms=[algorithm],
            audience=expected.client_id,
            issuer=expected.issuer,
            # iat is checked below, with leeway for a provider's clock a little ahead.
            options={"require": ["iss", "sub", "aud", "exp", "iat"], "verify_iat": False},
        )
    except jwt.PyJWTError as exc:
        return _refuse(type(exc).__name__)
    return _checked_claims(claims, expected.client_id, expected.nonce)


def _refuse(reason: str) -> NoReturn:
    raise SignInRefusedError("invalid_id_token", reason)


def _checked_claims(claims: dict[str, Any], client_id: str, nonce: str) -> IdTokenClaims:
    """What PyJWT does not check: azp, iat with leeway, the nonce, the subject's shape."""
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    azp = claims.get("azp")
    if (azp is not None or len(audiences) > 1) and azp != client_id:
        return _refuse("azp is not the client id")
    iat = claims["iat"]
    if not isinstance(iat, int | float) or iat > time.time() + IAT_LEEWAY_SECONDS:
        return _refuse("iat in the future")
    if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        return _refuse("nonce mismatch")
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= MAX_SUBJECT_LENGTH:
        return _refuse("sub is not a string of 1-255 characters")
    email, name = claims.get("email"), claims.get("name")
    return IdTokenClaims(
        subject=subject,
        email=email if isinstance(email, str) else None,
        email_verified=claims.get("email_verified") is True,
        name=name if isinstance(name, str) else None,
    )
