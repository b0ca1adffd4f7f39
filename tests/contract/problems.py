"""Assertions on RFC 9457 problem responses, shared by the contract tests."""

from __future__ import annotations

import httpx

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response: httpx.Response, status: int, title: str) -> dict[str, object]:
    """An RFC 9457 problem with the contract's keys, status and title."""
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert isinstance(body, dict)
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["title"] == title
    assert isinstance(body["type"], str)
    assert isinstance(body["detail"], str)
    return body
