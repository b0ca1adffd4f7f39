from __future__ import annotations

import httpx

from contract.problems import assert_problem


def test_unknown_route_is_a_404_problem(client: httpx.Client) -> None:
    response = client.get("/api/v1/no-such-route")
    assert_problem(response, 404, "Not Found")


def test_wrong_method_is_a_405_problem(client: httpx.Client) -> None:
    response = client.delete("/health/live")
    assert_problem(response, 405, "Method Not Allowed")


def test_problem_never_leaks_internals(client: httpx.Client) -> None:
    body = client.get("/api/v1/no-such-route").text.lower()
    for marker in ("traceback", "stack", "exception", 'file "'):
        assert marker not in body
