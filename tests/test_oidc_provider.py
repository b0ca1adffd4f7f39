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

    honest_header, honest_claims, honest_signature = _parts(honest)
    spoiled_header, spoiled_claims, spoiled_signature = _parts(spoiled)
    assert honest_header["alg"] == _parts(after)[0]["alg"] == "RS256"
    assert spoiled_header.items() >= header.items()
    assert {key: spoiled_claims[key] for key in changed} == changed
    # Only "signature" keeps a signature of the provider's key, made for other claims.
    assert (spoiled_signature == honest_signature) == (kind == "signature")
    assert (spoiled_signature == "") == (kind == "alg_none")
    assert honest_claims["aud"] == CLIENT.client_id


def test_an_expired_id_token_is_past_its_exp(provider: OidcProvider) -> None:
    provider.add_account("subject-4", "di@example.com", email_verified=True)
    verifier = secrets.token_urlsafe(48)
    provider.spoil_next_token("expired")
    token = _exchange(provider, _code(provider, "subject-4", verifier)["code"][0], verifier).json()["id_token"]
    _, claims, _ = _parts(token)
    assert claims["exp"] < time.time() - 3000
