"""RS256 / EdDSA keys from the settings, and the algorithm confusion they invite."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from fastapi import FastAPI

from tests.auth.accounts import make_account
from tests.helpers import assert_problem, make_app, running

pytestmark = pytest.mark.usefixtures("storage")

PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


def _pem_settings(algorithm: str, key: PrivateKey) -> dict[str, str]:
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "jwt_algorithm": algorithm,
        "jwt_private_key": private.decode(),
        "jwt_public_key": public.decode(),
    }


RSA_KEYS = _pem_settings("RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))
EDDSA_KEYS = _pem_settings("EdDSA", ed25519.Ed25519PrivateKey.generate())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_by_hand(app: FastAPI, user_id: str, key: bytes) -> str:
    """An HS256 token keyed with ``key``, signed by hand: PyJWT refuses a PEM as HMAC key."""
    settings = app.state.settings
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "role": "user",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": uuid.uuid4().hex,
    }
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


async def _me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("keys", [RSA_KEYS, EDDSA_KEYS], ids=["RS256", "EdDSA"])
async def test_asymmetric_keys_sign_and_verify(keys: dict[str, str]) -> None:
    app = make_app(**keys)
    async with running(app) as client:
        account = await make_account(client, app)
        response = await _me(client, account.access_token)

    assert jwt.get_unverified_header(account.access_token)["alg"] == keys["jwt_algorithm"]
    assert response.status_code == 200
    assert response.json()["id"] == account.id


async def test_hs256_keyed_with_the_rs256_public_key_is_rejected() -> None:
    app = make_app(**RSA_KEYS)
    async with running(app) as client:
        account = await make_account(client, app)
        forged = _hs256_by_hand(app, account.id, RSA_KEYS["jwt_public_key"].encode())
        response = await _me(client, forged)

    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_token_signed_by_hand_passes_where_hs256_is_configured(
    api: httpx.AsyncClient, app: FastAPI
) -> None:
    # The control for the test above: the hand-made token is well formed, so only the
    # pinned algorithm can have refused it there.
    account = await make_account(api, app)
    secret = app.state.settings.jwt_secret.get_secret_value().encode()

    response = await _me(api, _hs256_by_hand(app, account.id, secret))

    assert response.status_code == 200
