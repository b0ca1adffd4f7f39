"""Requests no route serves. Routing answers them, 404 or 405 with `Allow`, before any
authentication: with `auth`, a missing or rejected token must not turn them into a 401."""

from __future__ import annotations

import httpx

from contract.problems import assert_problem

# A v4 UUID that names nothing: the item routes match it, whatever they would find.
NOBODY = "00000000-0000-4000-8000-000000000000"

# Paths under /api/v1 that no route serves, some below routers that need a token with auth.
UNKNOWN_PATHS = (
    "/api/v1/no-such-route",
    f"/api/v1/posts/{NOBODY}/comments",
    f"/api/v1/users/{NOBODY}/posts",
)

# A route, a method it does not serve, and the methods it does, as `Allow` names them.
WRONG_METHODS = (
    ("PUT", "/api/v1/posts", "GET, POST"),
    ("PUT", f"/api/v1/posts/{NOBODY}", "GET, PATCH, DELETE"),
    ("POST", f"/api/v1/posts/{NOBODY}", "GET, PATCH, DELETE"),
    ("DELETE", "/api/v1/users", "GET, POST"),
    ("PUT", f"/api/v1/users/{NOBODY}", "GET, DELETE"),
)

# With auth: /users/me is a route of its own, never /users/{id} with the id "me", so the
# methods it does not serve are its 405, whatever the token (without auth, "me" is a
# malformed id like any other: 422).
ACCOUNT_WRONG_METHODS = (
    ("PUT", "/api/v1/users/me", "GET, PATCH"),
    ("POST", "/api/v1/users/me", "GET, PATCH"),
    ("DELETE", "/api/v1/users/me", "GET, PATCH"),
)

# Tokens routing must ignore: none, and one that no server accepts.
NO_TOKEN: dict[str, str] = {}
INVALID_TOKEN = {"Authorization": "Bearer not.a.jwt"}


def assert_not_found(client: httpx.Client, path: str, headers: dict[str, str]) -> None:
    response = client.get(path, headers=headers)
    assert_problem(response, 404, "Not Found")
    assert response.json()["detail"] == f"No resource at GET {path}."


def assert_method_not_allowed(
    client: httpx.Client, method: str, path: str, allow: str, headers: dict[str, str]
) -> None:
    response = client.request(method, path, headers=headers)
    assert_problem(response, 405, "Method Not Allowed")
    assert response.headers["allow"] == allow
    assert response.json()["detail"] == f"{method} is not allowed here; use {allow}."
