"""Auth (DESIGN §3 and README.md "With auth"), black-box, for renders WITH the auth task.

tests/test_generated_projects.py runs this file only against renders with auth. Every
test signs up its own accounts, so the login rate limit (per email and client) never
carries over from one test to another.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from contract.api import unique_email
from contract.problems import assert_problem
from contract.routing import (
    ACCOUNT_WRONG_METHODS,
    INVALID_TOKEN,
    NO_TOKEN,
    UNKNOWN_PATHS,
    WRONG_METHODS,
    assert_method_not_allowed,
    assert_not_found,
)

PASSWORD = "correct horse battery staple"  # noqa: S105  (a test account's, made per test)


def sign_up(client: httpx.Client, email: str | None = None) -> dict[str, Any]:
    response = client.post(
        "/api/v1/users", json={"email": email or unique_email(), "name": "Ada", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def tokens(client: httpx.Client, email: str) -> dict[str, Any]:
    response = sign_in(client, email)
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def signed_up(client: httpx.Client) -> tuple[dict[str, Any], dict[str, str]]:
    """A new account and the headers that authenticate as it."""
    user = sign_up(client)
    return user, bearer(tokens(client, user["email"]))


def as_me(user: dict[str, Any], auth_methods: frozenset[str]) -> dict[str, Any]:
    """GET /users/me of a user signed up with a password: with oauth, no provider linked yet."""
    return user | ({"providers": []} if "oauth" in auth_methods else {})


def assert_unauthorized(response: httpx.Response) -> None:
    assert_problem(response, 401, "Unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_sign_up_requires_a_password_and_never_returns_it(client: httpx.Client) -> None:
    email = unique_email()
    missing = client.post("/api/v1/users", json={"email": email, "name": "Ada"})
    assert_problem(missing, 422, "Unprocessable Content")
    assert ["body", "password"] in [error["loc"] for error in missing.json()["errors"]]

    user = sign_up(client, email)

    assert set(user) == {"id", "email", "name", "role", "created_at"}
    assert user["role"] == "user"


def test_token_from_json_and_from_the_oauth2_form(client: httpx.Client, auth_methods: frozenset[str]) -> None:
    user = sign_up(client)

    from_json = sign_in(client, user["email"].upper())
    from_form = client.post("/api/v1/auth/token", data={"username": user["email"], "password": PASSWORD})

    for response in (from_json, from_form):
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
        assert body["token_type"] == "Bearer"  # noqa: S105  (a scheme name, not a secret)
        assert body["expires_in"] == 900
        assert client.get("/api/v1/users/me", headers=bearer(body)).json() == as_me(user, auth_methods)


def test_unknown_email_and_wrong_password_get_the_same_401(client: httpx.Client) -> None:
    user = sign_up(client)

    wrong = sign_in(client, user["email"], "not the password")
    unknown = sign_in(client, unique_email())

    assert_problem(wrong, 401, "Unauthorized")
    assert_problem(unknown, 401, "Unauthorized")
    assert wrong.json() == unknown.json()


def test_refresh_rotates_the_refresh_token(client: httpx.Client) -> None:
    user = sign_up(client)
    first = tokens(client, user["email"])

    response = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})

    assert response.status_code == 200, response.text
    second = response.json()
    assert set(second) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get("/api/v1/users/me", headers=bearer(second)).status_code == 200
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert again.status_code == 200


def test_refresh_token_reuse_revokes_the_family(client: httpx.Client) -> None:
    user = sign_up(client)
    first = tokens(client, user["email"])
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()

    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})

    assert_problem(replay, 401, "Unauthorized")
    assert_problem(after, 401, "Unauthorized")


def test_logout_is_204_and_ends_the_session(client: httpx.Client) -> None:
    user = sign_up(client)
    pair = tokens(client, user["email"])

    response = client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})

    assert response.status_code == 204
    assert response.content == b""
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_problem(refreshed, 401, "Unauthorized")


def test_401_carries_www_authenticate(client: httpx.Client) -> None:
    for path in ("/api/v1/users/me", "/api/v1/users", "/api/v1/posts", f"/api/v1/users/{uuid.uuid4()}"):
        assert_unauthorized(client.get(path))
    assert_unauthorized(client.get("/api/v1/users/me", headers={"Authorization": "Bearer not.a.jwt"}))
    unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0."
    assert_unauthorized(client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {unsigned}"}))


def test_routing_answers_a_signed_in_caller_as_anyone(client: httpx.Client) -> None:
    # test_errors.py sends these without a valid token; a valid one changes nothing either.
    _, headers = signed_up(client)
    for path in UNKNOWN_PATHS:
        assert_not_found(client, path, headers)
    for method, path, allow in WRONG_METHODS:
        assert_method_not_allowed(client, method, path, allow, headers)


def test_a_wrong_method_on_the_auth_routes_is_a_405_whatever_the_token(client: httpx.Client) -> None:
    _, signed_in = signed_up(client)
    for headers in (NO_TOKEN, INVALID_TOKEN, signed_in):
        for path in ("/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/auth/logout"):
            assert_method_not_allowed(client, "GET", path, "POST", headers)
        assert_not_found(client, "/api/v1/auth/no-such-route", headers)


def test_users_me_answers_a_wrong_method_itself_whatever_the_token(client: httpx.Client) -> None:
    _, signed_in = signed_up(client)
    for headers in (NO_TOKEN, INVALID_TOKEN, signed_in):
        for method, path, allow in ACCOUNT_WRONG_METHODS:
            assert_method_not_allowed(client, method, path, allow, headers)


def test_users_me_reads_and_changes_the_caller(client: httpx.Client, auth_methods: frozenset[str]) -> None:
    user, headers = signed_up(client)

    assert client.get("/api/v1/users/me", headers=headers).json() == as_me(user, auth_methods)
    changes = {"name": "Renamed", "password": "another password"}
    changed = client.patch("/api/v1/users/me", headers=headers, json=changes)

    assert changed.status_code == 200, changed.text
    assert changed.json() == user | {"name": "Renamed"}
    assert sign_in(client, user["email"], "another password").status_code == 200
    role = client.patch("/api/v1/users/me", headers=headers, json={"role": "admin"})
    assert_problem(role, 422, "Unprocessable Content")


def test_another_users_record_is_not_found(client: httpx.Client) -> None:
    other = sign_up(client)
    me, headers = signed_up(client)

    assert_problem(client.get(f"/api/v1/users/{other['id']}", headers=headers), 404, "Not Found")
    assert client.get(f"/api/v1/users/{me['id']}", headers=headers).json() == me


def test_listing_or_deleting_users_is_forbidden_to_a_user(client: httpx.Client) -> None:
    other = sign_up(client)
    _, headers = signed_up(client)

    assert_problem(client.get("/api/v1/users", headers=headers), 403, "Forbidden")
    assert_problem(client.delete(f"/api/v1/users/{other['id']}", headers=headers), 403, "Forbidden")


def test_author_id_in_a_post_body_is_a_422(client: httpx.Client) -> None:
    other = sign_up(client)
    me, headers = signed_up(client)

    created = client.post("/api/v1/posts", headers=headers, json={"title": "T", "author_id": other["id"]})
    assert_problem(created, 422, "Unprocessable Content")
    assert [error["loc"] for error in created.json()["errors"]] == [["body", "author_id"]]

    post = client.post("/api/v1/posts", headers=headers, json={"title": "Mine"})
    assert post.status_code == 201, post.text
    assert post.json()["author_id"] == me["id"]
    changed = client.patch(f"/api/v1/posts/{post.json()['id']}", headers=headers, json={"author_id": other["id"]})
    assert_problem(changed, 422, "Unprocessable Content")
    assert [error["loc"] for error in changed.json()["errors"]] == [["body", "author_id"]]


def test_only_the_author_may_change_a_post(client: httpx.Client) -> None:
    _, author = signed_up(client)
    _, stranger = signed_up(client)
    post = client.post("/api/v1/posts", headers=author, json={"title": "Mine"}).json()

    assert client.get(f"/api/v1/posts/{post['id']}", headers=stranger).status_code == 200
    assert_problem(client.patch(f"/api/v1/posts/{post['id']}", headers=stranger, json={"title": "X"}), 403, "Forbidden")
    assert_problem(client.delete(f"/api/v1/posts/{post['id']}", headers=stranger), 403, "Forbidden")
    assert client.delete(f"/api/v1/posts/{post['id']}", headers=author).status_code == 204


def test_too_many_failed_sign_ins_are_429_with_retry_after(client: httpx.Client) -> None:
    user = sign_up(client)
    statuses = [sign_in(client, user["email"], "wrong password").status_code for _ in range(5)]

    blocked = sign_in(client, user["email"])

    assert statuses == [401] * 5
    assert_problem(blocked, 429, "Too Many Requests")
    assert 0 < int(blocked.headers["retry-after"]) <= 60
