from __future__ import annotations

import httpx
import pytest

from contract.problems import assert_problem
from contract.routing import (
    INVALID_TOKEN,
    NO_TOKEN,
    UNKNOWN_PATHS,
    WRONG_METHODS,
    assert_method_not_allowed,
    assert_not_found,
)

TOKENS = pytest.mark.parametrize("headers", [NO_TOKEN, INVALID_TOKEN], ids=["no token", "invalid token"])


def test_unknown_route_is_a_404_problem(client: httpx.Client) -> None:
    response = client.get("/api/v1/no-such-route")
    assert_problem(response, 404, "Not Found")
    assert response.json()["detail"] == "No resource at GET /api/v1/no-such-route."


def test_wrong_method_is_a_405_problem(client: httpx.Client) -> None:
    response = client.delete("/health/live")
    assert_problem(response, 405, "Method Not Allowed")
    assert response.headers["allow"] == "GET"
    assert response.json()["detail"] == "DELETE is not allowed here; use GET."


def test_a_405_names_every_method_the_path_serves(client: httpx.Client) -> None:
    response = client.delete("/api/v1/users")
    assert_problem(response, 405, "Method Not Allowed")
    assert response.headers["allow"] == "GET, POST"


@TOKENS
@pytest.mark.parametrize("path", UNKNOWN_PATHS)
def test_an_unknown_route_is_a_404_whatever_the_token(client: httpx.Client, path: str, headers: dict[str, str]) -> None:
    assert_not_found(client, path, headers)


@TOKENS
@pytest.mark.parametrize(("method", "path", "allow"), WRONG_METHODS)
def test_a_wrong_method_is_a_405_whatever_the_token(
    client: httpx.Client, method: str, path: str, allow: str, headers: dict[str, str]
) -> None:
    assert_method_not_allowed(client, method, path, allow, headers)


def test_problem_never_leaks_internals(client: httpx.Client) -> None:
    body = client.get("/api/v1/no-such-route").text.lower()
    for marker in ("traceback", "stack", "exception", 'file "'):
        assert marker not in body
