"""Signing in with an OpenID Connect provider (DESIGN §3; renders with `auth_methods: [jwt, oauth]`).

The runner starts a real provider (tests/oidc/provider.mjs) and boots the server with it as
OIDC provider `test`; this suite plays the user's browser (no redirect followed by itself) and
the single-page app that receives the login code. CONTRACT_OIDC_ISSUER names the provider,
CONTRACT_OAUTH_REDIRECT the one front-end URL of the server's OAUTH_REDIRECT_ALLOWLIST.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from contract.api import unique_email
from contract.oidc import OidcProvider
from contract.problems import assert_problem

PROVIDER = "test"
AUTHORIZE = f"/api/v1/auth/oauth/{PROVIDER}/authorize"
CALLBACK = f"/api/v1/auth/oauth/{PROVIDER}/callback"
EXCHANGE = "/api/v1/auth/oauth/exchange"
PASSWORD = "correct horse battery staple"  # noqa: S105  (a test account's, made per test)


@pytest.fixture(scope="module")
def provider() -> OidcProvider:
    issuer = os.environ.get("CONTRACT_OIDC_ISSUER")
    if not issuer:
        pytest.fail("CONTRACT_OIDC_ISSUER is not set: name the OpenID provider the server signs in with.")
    return OidcProvider(issuer)


@pytest.fixture(scope="module")
def front_end() -> str:
    url = os.environ.get("CONTRACT_OAUTH_REDIRECT")
    if not url:
        pytest.fail("CONTRACT_OAUTH_REDIRECT is not set: name the URL on the server's OAUTH_REDIRECT_ALLOWLIST.")
    return url


@dataclass(frozen=True)
class Started:
    """What the service's authorize answer sent the browser to."""

    url: str
    query: dict[str, str]


def start(client: httpx.Client, redirect_to: str) -> Started:
    response = client.get(AUTHORIZE, params={"redirect_to": redirect_to})
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    return Started(location, {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()})


def back_at_the_service(provider: OidcProvider, started: Started, sub: str) -> str:
    """The provider's redirect to the service's callback, after the user signed in as ``sub``."""
    with httpx.Client() as browser:
        callback = provider.sign_in(browser, started.url, sub)
    assert urlsplit(callback).path == CALLBACK, callback
    return callback


def land(client: httpx.Client, callback: str) -> httpx.Response:
    """The browser at the service's callback (a path and query of the service)."""
    parts = urlsplit(callback)
    return client.get(urlunsplit(("", "", parts.path, parts.query, "")))


def fragment(response: httpx.Response, front_end: str) -> dict[str, str]:
    """The 303 to the front end, and what its fragment carries."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    page, _, carried = location.partition("#")
    assert page == front_end, location
    assert "?" not in location.removeprefix(front_end), "nothing is added to the query: only the fragment"
    return {key: values[0] for key, values in parse_qs(carried).items()}


def account(provider: OidcProvider, email: str | None = None, *, verified: bool = True) -> tuple[str, str]:
    sub, email = f"sub-{uuid.uuid4().hex}", email or unique_email()
    provider.add_account(sub, email, email_verified=verified)
    return sub, email


def sign_in(client: httpx.Client, provider: OidcProvider, front_end: str, sub: str) -> httpx.Response:
    """The whole flow up to the exchange of the login code; the exchange's answer."""
    landed = land(client, back_at_the_service(provider, start(client, front_end), sub))
    return client.post(EXCHANGE, json={"code": fragment(landed, front_end)["code"]})


def test_authorize_redirects_with_state_nonce_and_pkce(
    client: httpx.Client, provider: OidcProvider, front_end: str
) -> None:
    started = start(client, front_end)
    discovered = httpx.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).json()

    assert started.url.startswith(discovered["authorization_endpoint"] + "?")
    assert started.query["response_type"] == "code"
    assert started.query["redirect_uri"].endswith(CALLBACK)
    assert set(started.query["scope"].split()) >= {"openid", "email"}
    assert started.query["code_challenge_method"] == "S256"
    assert len(started.query["code_challenge"]) == 43
    assert len(started.query["state"]) >= 32
    assert len(started.query["nonce"]) >= 32
    assert start(client, front_end).query["state"] != started.query["state"]


def test_a_first_sign_in_creates_the_account_and_gives_the_token_pair(
    client: httpx.Client, provider: OidcProvider, front_end: str
) -> None:
    sub, email = account(provider)

    exchanged = sign_in(client, provider, front_end, sub)

    assert exchanged.status_code == 200, exchanged.text
    pair = exchanged.json()
    assert set(pair) == {"access_token", "refresh_token", "token_type", "expires_in"}
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {pair['access_token']}"}).json()
    assert (me["email"], me["role"], me["providers"]) == (email, "user", [PROVIDER])
    # No password was ever set: password sign-in is refused as any wrong password is.
    refused = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert_problem(refused, 401, "Unauthorized")


def test_a_verified_email_links_the_existing_account(
    client: httpx.Client, provider: OidcProvider, front_end: str
) -> None:
    email = unique_email()
    existing = client.post("/api/v1/users", json={"email": email, "name": "Ada", "password": PASSWORD}).json()
    sub, _ = account(provider, email.upper(), verified=True)

    pair = sign_in(client, provider, front_end, sub).json()
    again = sign_in(client, provider, front_end, sub).json()  # the identity, now linked

    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    me = client.get("/api/v1/users/me", headers=headers).json()
    assert (me["id"], me["providers"]) == (existing["id"], [PROVIDER])
    assert (
        client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {again['access_token']}"}).json()["id"]
        == existing["id"]
    )


def test_an_unverified_email_never_takes_over_an_account(
    client: httpx.Client, provider: OidcProvider, front_end: str
) -> None:
    email = unique_email()
    client.post("/api/v1/users", json={"email": email, "name": "Ada", "password": PASSWORD})
    sub, _ = account(provider, email, verified=False)

    landed = land(client, back_at_the_service(provider, start(client, front_end), sub))

    assert fragment(landed, front_end) == {"error": "email_not_verified"}


def test_a_wrong_missing_or_reused_state_is_a_400(client: httpx.Client, provider: OidcProvider, front_end: str) -> None:
    sub, _ = account(provider)
    callback = back_at_the_service(provider, start(client, front_end), sub)
    query = parse_qs(urlsplit(callback).query)

    wrong = client.get(CALLBACK, params={"code": query["code"][0], "state": "x" * 43})
    missing = client.get(CALLBACK, params={"code": query["code"][0]})
    first = land(client, callback)
    reused = land(client, callback)

    for refused in (wrong, missing, reused):
        assert_problem(refused, 400, "Bad Request")
        assert "location" not in refused.headers
    assert "code" in fragment(first, front_end)


@pytest.mark.parametrize("kind", ["nonce", "audience", "expired", "issuer", "signature", "alg_none", "hs256"])
def test_an_id_token_that_fails_a_check_signs_nobody_in(
    client: httpx.Client, provider: OidcProvider, front_end: str, kind: str
) -> None:
    sub, email = account(provider)
    started = start(client, front_end)
    callback = back_at_the_service(provider, started, sub)
    provider.spoil_next_token(kind)

    landed = land(client, callback)

    assert fragment(landed, front_end) == {"error": "invalid_id_token"}
    refused = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 401  # and no account was made for the email either
    assert client.post("/api/v1/users", json={"email": email, "name": "Free", "password": PASSWORD}).status_code == 201


def test_a_pkce_mismatch_is_the_providers_refusal(client: httpx.Client, provider: OidcProvider, front_end: str) -> None:
    sub, _ = account(provider)
    started = start(client, front_end)
    # Another challenge than the service's: its verifier no longer matches at the token endpoint.
    tampered = dict(started.query, code_challenge="A" * 43)
    url = f"{started.url.partition('?')[0]}?{urlencode(tampered)}"

    landed = land(client, back_at_the_service(provider, Started(url, tampered), sub))

    assert fragment(landed, front_end) == {"error": "provider_error"}


def test_redirect_to_must_be_on_the_allowlist(client: httpx.Client, front_end: str) -> None:
    for target in ("https://evil.example/", f"{front_end}/../evil", f"{front_end}?next=/x", ""):
        refused = client.get(AUTHORIZE, params={"redirect_to": target})
        body = assert_problem(refused, 400, "Bad Request")
        assert "OAUTH_REDIRECT_ALLOWLIST" in str(body["detail"])
        assert "location" not in refused.headers


def test_an_unknown_provider_is_a_404(client: httpx.Client, front_end: str) -> None:
    refused = client.get("/api/v1/auth/oauth/nobody/authorize", params={"redirect_to": front_end})
    assert_problem(refused, 404, "Not Found")


def test_a_login_code_works_once(client: httpx.Client, provider: OidcProvider, front_end: str) -> None:
    sub, _ = account(provider)
    landed = land(client, back_at_the_service(provider, start(client, front_end), sub))
    code = fragment(landed, front_end)["code"]

    first = client.post(EXCHANGE, json={"code": code})
    second = client.post(EXCHANGE, json={"code": code})
    made_up = client.post(EXCHANGE, json={"code": "x" * 43})

    assert first.status_code == 200, first.text
    assert_problem(second, 400, "Bad Request")
    assert_problem(made_up, 400, "Bad Request")


def test_an_identity_unlinks_unless_it_is_the_last_way_in(
    client: httpx.Client, provider: OidcProvider, front_end: str
) -> None:
    email = unique_email()
    client.post("/api/v1/users", json={"email": email, "name": "Ada", "password": PASSWORD})
    linked_sub, _ = account(provider, email, verified=True)
    linked = {"Authorization": f"Bearer {sign_in(client, provider, front_end, linked_sub).json()['access_token']}"}
    only_sub, _ = account(provider)
    only = {"Authorization": f"Bearer {sign_in(client, provider, front_end, only_sub).json()['access_token']}"}

    unlinked = client.delete(f"/api/v1/users/me/identities/{PROVIDER}", headers=linked)
    last = client.delete(f"/api/v1/users/me/identities/{PROVIDER}", headers=only)
    gone = client.delete(f"/api/v1/users/me/identities/{PROVIDER}", headers=linked)

    assert unlinked.status_code == 204, unlinked.text
    assert client.get("/api/v1/users/me", headers=linked).json()["providers"] == []
    assert_problem(last, 409, "Conflict")
    assert_problem(gone, 404, "Not Found")
