"""The OpenID Connect provider the OAuth tests sign in at (tests/oidc_provider.py) works as a real one.

The authorization code flow with PKCE S256, played by an HTTP client at the provider's own forms,
ends with an ID token for the client, carrying the account's claims and the request's nonce; the
provider enforces what the services will rely on (PKCE, the client secret, single-use codes).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from contract.oidc import OidcProvider
from oidc_provider import Client, running_provider

CALLBACK = "http://127.0.0.1:9/callback"  # never reached: the test reads the redirect
CLIENT = Client("service", "a-client-secret-of-the-tests", (CALLBACK,))


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider([CLIENT], tmp_path_factory.mktemp("oidc") / "provider.log") as running:
        yield running


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    return _parts(token)[1]


def _code(provider: OidcProvider, sub: str, verifier: str, nonce: str = "a-nonce") -> dict[str, list[str]]:
    request = {
        "client_id": CLIENT.client_id,
        "response_type": "code",
        "scope": "openid email profile",
        "redirect_uri": CALLBACK,
        "state": "a-state",
        "nonce": nonce,
        "code_challenge": _challenge(verifier),
        "code_challenge_method": "S256",
    }
    with httpx.Client() as browser:
        back = provider.sign_in(browser, f"{provider.issuer}/auth?{urlencode(request)}", sub)
    assert back.startswith(CALLBACK + "?"), back
    return parse_qs(urlsplit(back).query)


def _exchange(provider: OidcProvider, code: str, verifier: str, secret: str = CLIENT.client_secret) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    return httpx.post(f"{provider.issuer}/token", data=form, auth=(CLIENT.client_id, secret), timeout=10)


def test_discovery_announces_the_endpoints_and_s256(provider: OidcProvider) -> None:
    document = httpx.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert document["issuer"] == provider.issuer
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert httpx.get(document["jwks_uri"], timeout=10).json()["keys"]


def test_the_code_flow_ends_with_an_id_token_of_the_account(provider: OidcProvider) -> None:
    provider.add_account("subject-1", "ada@example.com", email_verified=True, name="Ada")
    verifier = secrets.token_urlsafe(48)

    back = _code(provider, "subject-1", verifier)
    tokens = _exchange(provider, back["code"][0], verifier)

    assert back["state"] == ["a-state"]
    assert back["iss"] == [provider.issuer]
    assert tokens.status_code == 200, tokens.text
    claims = _claims(tokens.json()["id_token"])
    assert {key: claims[key] for key in ("iss", "aud", "sub", "nonce", "email", "email_verified", "name")} == {
        "iss": provider.issuer,
        "aud": CLIENT.client_id,
        "sub": "subject-1",
        "nonce": "a-nonce",
        "email": "ada@example.com",
        "email_verified": True,
        "name": "Ada",
    }


def test_pkce_the_secret_and_single_use_codes_are_enforced(provider: OidcProvider) -> None:
    provider.add_account("subject-2", "bob@example.com", email_verified=False)
    verifier = secrets.token_urlsafe(48)
    code = _code(provider, "subject-2", verifier)["code"][0]

    wrong_verifier = _exchange(provider, code, secrets.token_urlsafe(48))
    second_code = _code(provider, "subject-2", verifier)["code"][0]
    wrong_secret = _exchange(provider, second_code, verifier, secret="not-the-secret")  # noqa: S106
    third_code = _code(provider, "subject-2", verifier)["code"][0]
    first_use = _exchange(provider, third_code, verifier)
    second_use = _exchange(provider, third_code, verifier)

    assert (wrong_verifier.status_code, wrong_verifier.json()["error"]) == (400, "invalid_grant")
    assert (wrong_secret.status_code, wrong_secret.json()["error"]) == (401, "invalid_client")
    assert first_use.status_code == 200, first_use.text
    assert _claims(first_use.json()["id_token"])["email_verified"] is False
    assert (second_use.status_code, second_use.json()["error"]) == (400, "invalid_grant")


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return _decoded(header), _decoded(payload), signature


def _decoded(part: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return value


@pytest.mark.parametrize(
    ("kind", "header", "changed"),
    [
        ("audience", {"alg": "RS256"}, {"aud": "another-client"}),
        ("nonce", {"alg": "RS256"}, {"nonce": "not-the-nonce-of-the-request"}),
        ("issuer", {"alg": "RS256"}, {"iss": "http://127.0.0.1:9/another-issuer"}),
        ("signature", {"alg": "RS256"}, {"email": "someone.else@example.com"}),
        ("alg_none", {"alg": "none"}, {}),
        ("hs256", {"alg": "HS256"}, {}),
    ],
)
def test_mischief_spoils_the_next_id_token_once(
    provider: OidcProvider, kind: str, header: dict[str, str], changed: dict[str, str]
) -> None:
    provider.add_account("subject-3", "cy@example.com", email_verified=True)
    verifier = secrets.token_urlsafe(48)
    honest = _exchange(provider, _code(provider, "subject-3", verifier)["code"][0], verifier).json()["id_token"]
    provider.spoil_next_token(kind)
    spoiled = _exchange(provider, _code(provider, "subject-3", verifier)["code"][0], verifier).json()["id_token"]
    after = _exchange(provider, _code(provider, "subject-3", verifier)["code"][0], verifier).json()["id_token"]

    honest_header, honest_claims, _ = _parts(honest)
    spoiled_header, spoiled_claims, spoiled_signature = _parts(spoiled)
    assert honest_header["alg"] == _parts(after)[0]["alg"] == "RS256"
    assert spoiled_header.items() >= header.items()
    assert {key: spoiled_claims[key] for key in changed} == changed
    # What the provider's key signed: these claims, other claims ("signature"), or nothing.
    keys = _provider_keys(provider)
    signed_input = hashlib.sha256(spoiled.rsplit(".", 1)[0].encode()).digest()
    digest = _signed_digest(spoiled, keys)
    assert _signed_digest(honest, keys) == hashlib.sha256(honest.rsplit(".", 1)[0].encode()).digest()
    if kind in {"audience", "nonce", "issuer"}:
        assert digest == signed_input
    elif kind == "signature":
        assert digest is not None
        assert digest != signed_input
    else:
        assert digest is None
    assert (spoiled_signature == "") == (kind == "alg_none")
    assert honest_claims["aud"] == CLIENT.client_id


# PKCS #1 v1.5 for SHA-256 (RFC 8017 section 9.2): what RS256 signs, after the padding.
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def _provider_keys(provider: OidcProvider) -> dict[str, tuple[int, int]]:
    """The provider's RSA public keys by key id: (modulus, exponent)."""
    document = httpx.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    found = httpx.get(document["jwks_uri"], timeout=10).json()["keys"]

    def number(value: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")

    return {key["kid"]: (number(key["n"]), number(key["e"])) for key in found if key["kty"] == "RSA"}


def _signed_digest(token: str, keys: dict[str, tuple[int, int]]) -> bytes | None:
    """The SHA-256 digest the token's signature was made for with one of ``keys`` (RS256), or
    None when it is no such signature. Plain RSA arithmetic: the tests have no crypto library."""
    header, _, signature = _parts(token)
    if header.get("alg") != "RS256" or header.get("kid") not in keys or not signature:
        return None
    modulus, exponent = keys[header["kid"]]
    size = (modulus.bit_length() + 7) // 8
    value = int.from_bytes(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), "big")
    encoded = pow(value, exponent, modulus).to_bytes(size, "big")
    padding = b"\x00\x01" + b"\xff" * (size - 3 - len(SHA256_DIGEST_INFO) - 32) + b"\x00"
    if not encoded.startswith(padding + SHA256_DIGEST_INFO):
        return None
    return encoded[-32:]


def test_an_expired_id_token_is_past_its_exp(provider: OidcProvider) -> None:
    provider.add_account("subject-4", "di@example.com", email_verified=True)
    verifier = secrets.token_urlsafe(48)
    provider.spoil_next_token("expired")
    token = _exchange(provider, _code(provider, "subject-4", verifier)["code"][0], verifier).json()["id_token"]
    _, claims, _ = _parts(token)
    assert claims["exp"] < time.time() - 3000
