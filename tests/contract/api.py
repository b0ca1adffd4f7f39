"""Helpers for the users and posts contract tests: unique data, paging, 422 locations."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from contract.problems import assert_problem

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def unique_email() -> str:
    return f"contract-{uuid.uuid4().hex}@example.com"


def create_user(client: httpx.Client, name: str = "Ada Lovelace") -> dict[str, Any]:
    response = client.post("/api/v1/users", json={"email": unique_email(), "name": name})
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


def create_post(client: httpx.Client, author_id: str, title: str = "Hello", body: str = "Text.") -> dict[str, Any]:
    response = client.post("/api/v1/posts", json={"author_id": author_id, "title": title, "body": body})
    assert response.status_code == 201, response.text
    post: dict[str, Any] = response.json()
    return post


def error_locations(response: httpx.Response) -> list[list[Any]]:
    body = assert_problem(response, 422, "Unprocessable Content")
    errors = body["errors"]
    assert isinstance(errors, list)
    for error in errors:
        assert set(error) == {"loc", "msg", "type"}
    return [error["loc"] for error in errors]


def list_all(client: httpx.Client, path: str, **params: str | int) -> list[dict[str, Any]]:
    """Every item of a list endpoint, following next_cursor page by page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = client.get(path, params=params | ({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "next_cursor"}
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def newest_first(items: list[dict[str, Any]]) -> list[str]:
    """Ids in the order every list uses: created_at, then id, both descending."""
    return [item["id"] for item in sorted(items, key=lambda item: (item["created_at"], item["id"]), reverse=True)]
