"""Routing answers first: a path no route serves is a 404 and a method the route does not
serve a 405 with Allow, before any authentication could answer 401."""

import httpx
import pytest

PROBLEM = "application/problem+json"
# A v4 UUID of nothing: the item routes match it whatever they would find.
NOBODY = "00000000-0000-4000-8000-000000000000"
# No Authorization header, and one that no configuration of this service accepts.
TOKENS = pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer not.a.jwt"}], ids=["no token", "invalid token"]
)


@TOKENS
@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-route", f"/api/v1/posts/{NOBODY}/comments", f"/api/v1/users/{NOBODY}/posts"],
)
async def test_an_unknown_route_is_a_404_whatever_the_token(
    client: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> None:
    response = await client.get(path, headers=headers)

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": f"No resource at GET {path}.",
    }


@TOKENS
@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/v1/posts", "GET, POST"),
        ("PUT", f"/api/v1/posts/{NOBODY}", "GET, PATCH, DELETE"),
        ("POST", f"/api/v1/posts/{NOBODY}", "GET, PATCH, DELETE"),
        ("DELETE", "/api/v1/users", "GET, POST"),
        ("PUT", f"/api/v1/users/{NOBODY}", "GET, DELETE"),
    ],
)
async def test_a_wrong_method_is_a_405_whatever_the_token(
    client: httpx.AsyncClient, method: str, path: str, allow: str, headers: dict[str, str]
) -> None:
    response = await client.request(method, path, headers=headers)

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == allow
    assert response.json() == {
        "type": "about:blank",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": f"{method} is not allowed here; use {allow}.",
    }
