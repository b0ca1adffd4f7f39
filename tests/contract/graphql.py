"""Helpers for the GraphQL contract tests: one request, the error codes, callers and posts."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from contract.api import create_user, unique_email

# The limits the live server runs with (tests/test_generated_projects.py sets them):
# low enough that the schema's own queries reach them (its deepest query is 6 levels).
SERVER_SETTINGS = {"GRAPHQL_MAX_DEPTH": "5", "GRAPHQL_MAX_ALIASES": "3", "GRAPHQL_MAX_COST": "701"}
GRAPHQL_RESPONSE = "application/graphql-response+json"
PASSWORD = "correct horse battery staple"  # noqa: S105  (a test account's, made per test)


def post_graphql(
    client: httpx.Client,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return client.post("/graphql", json=body, headers=headers or {})


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def codes(body: dict[str, Any]) -> list[str]:
    """The extensions.code of each error, in order; every error must have one."""
    errors = body.get("errors")
    assert isinstance(errors, list), body
    assert errors, body
    return [error["extensions"]["code"] for error in errors]


def ok(response: httpx.Response) -> dict[str, Any]:
    """The data of a 200 answer without errors."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def failed(response: httpx.Response, status: int) -> dict[str, Any]:
    """A GraphQL answer with errors and this status: 400 carries no data, 200 does."""
    assert response.status_code == status, response.text
    assert media_type(response) in {"application/json", GRAPHQL_RESPONSE}
    body: dict[str, Any] = response.json()
    assert ("data" in body) == (status == 200), body
    for error in body["errors"]:
        assert isinstance(error["message"], str)
        assert set(error["extensions"]) <= {"code", "errors"}, error
    return body


class Caller:
    """Who sends the requests: a new signed-in account with auth, anyone without."""

    def __init__(self, client: httpx.Client, tasks: frozenset[str]) -> None:
        self.client = client
        self.auth = "auth" in tasks
        if self.auth:
            email = unique_email()
            created = client.post("/api/v1/users", json={"email": email, "name": "Ada", "password": PASSWORD})
            assert created.status_code == 201, created.text
            self.user: dict[str, Any] = created.json()
            signed_in = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
            assert signed_in.status_code == 200, signed_in.text
            self.headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        else:
            self.user = create_user(client)
            self.headers = {}

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return post_graphql(self.client, query, variables, self.headers)

    def create_post(self, title: str = "Hello", body: str = "Text.") -> dict[str, Any]:
        """A post of this caller, made through REST."""
        payload = {"title": title, "body": body} | ({} if self.auth else {"author_id": self.user["id"]})
        response = self.client.post("/api/v1/posts", json=payload, headers=self.headers)
        assert response.status_code == 201, response.text
        post: dict[str, Any] = response.json()
        return post

    def post_input(self, title: str = "Hello", body: str = "Text.") -> dict[str, Any]:
        """CreatePostInput for a post of this caller."""
        return {"title": title, "body": body} | ({} if self.auth else {"authorId": self.user["id"]})


def random_id() -> str:
    return str(uuid.uuid4())
