"""The operations tests/test_graphql_parity.py sends to both servers, in order: a sign-up to
introspection, each using only what earlier answers saved."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

PASSWORD = "differential-password"  # noqa: S105  (test accounts, made per run)
TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"
INTROSPECTION = f"""
{{ __schema {{
  queryType {{ name }} mutationType {{ name }} subscriptionType {{ name }}
  types {{
    kind name description
    fields(includeDeprecated: true) {{
      name description isDeprecated deprecationReason
      args {{ name description defaultValue type {{ {TYPE_REF} }} }}
      type {{ {TYPE_REF} }}
    }}
    inputFields {{ name description defaultValue type {{ {TYPE_REF} }} }}
    interfaces {{ {TYPE_REF} }}
    enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }}
    possibleTypes {{ {TYPE_REF} }}
  }}
  directives {{ name description locations args {{ name description defaultValue type {{ {TYPE_REF} }} }} }}
}} }}
"""


@dataclass
class Server:
    """One framework's live server, and what the operations remembered of its answers."""

    client: httpx.Client
    saved: dict[str, Any] = field(default_factory=dict)

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, caller: str = "a", **headers: str
    ) -> httpx.Response:
        body: dict[str, Any] = {"query": query} | ({"variables": variables} if variables is not None else {})
        return self.client.post("/graphql", json=body, headers=self.auth(caller) | headers)

    def auth(self, caller: str) -> dict[str, str]:
        """The headers that sign in as ``caller`` ("" for nobody)."""
        return {"Authorization": f"Bearer {self.saved[f'token {caller}']}"} if caller else {}


def _sign_up(server: Server, name: str) -> httpx.Response:
    email = f"{name}-{uuid.uuid4().hex[:10]}@example.com"
    created = server.client.post("/api/v1/users", json={"email": email, "name": name, "password": PASSWORD})
    signed_in = server.client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    server.saved[f"user {name}"] = created.json()["id"]
    server.saved[f"token {name}"] = signed_in.json()["access_token"]
    return created


def _create(server: Server, title: str) -> httpx.Response:
    answer = server.graphql(
        "mutation ($input: CreatePostInput!) { createPost(input: $input) { id title body author { id name } "
        "createdAt updatedAt } }",
        {"input": {"title": title, "body": f"About {title}."}},
    )
    server.saved[f"post {title}"] = answer.json()["data"]["createPost"]["id"]
    return answer


def _page(server: Server, after: str | None) -> httpx.Response:
    answer = server.graphql(
        "query ($after: String) { posts(first: 2, after: $after) { items { id title author { name } } nextCursor } }",
        {"after": server.saved.get(after) if after else None},
    )
    server.saved["cursor"] = answer.json()["data"]["posts"]["nextCursor"]
    return answer


POST = "id title body author { id name } createdAt updatedAt"
# Each operation sends the same request to a server, using only what earlier ones saved.
OPERATIONS: list[tuple[str, Callable[[Server], httpx.Response]]] = [
    ("sign up a", lambda s: _sign_up(s, "a")),
    ("sign up b", lambda s: _sign_up(s, "b")),
    *((f"create {title}", lambda s, title=title: _create(s, title)) for title in ("one", "two", "three")),
    ("first page", lambda s: _page(s, None)),
    ("next page", lambda s: _page(s, "cursor")),
    (
        "me",
        lambda s: s.graphql(f"{{ me {{ id email name role createdAt posts(first: 5) {{ items {{ {POST} }} }} }} }}"),
    ),
    ("someone else", lambda s: s.graphql("query ($id: ID!) { user(id: $id) { id } }", {"id": s.saved["user b"]})),
    ("users as a user", lambda s: s.graphql("{ users { items { id } } }")),
    (
        "another's post",
        lambda s: s.graphql(
            'mutation ($id: ID!) { updatePost(id: $id, input: {title: "b was here"}) { id } }',
            {"id": s.saved["post one"]},
            caller="b",
        ),
    ),
    (
        "update",
        lambda s: s.graphql(
            f'mutation ($id: ID!) {{ updatePost(id: $id, input: {{title: "One, again"}}) {{ {POST} }} }}',
            {"id": s.saved["post one"]},
        ),
    ),
    (
        "empty update",
        lambda s: s.graphql(
            f"mutation ($id: ID!) {{ updatePost(id: $id, input: {{}}) {{ {POST} }} }}", {"id": s.saved["post two"]}
        ),
    ),
    ("delete", lambda s: s.graphql("mutation ($id: ID!) { deletePost(id: $id) }", {"id": s.saved["post three"]})),
    ("deleted", lambda s: s.graphql("query ($id: ID!) { post(id: $id) { id } }", {"id": s.saved["post three"]})),
    ("delete again", lambda s: s.graphql("mutation ($id: ID!) { deletePost(id: $id) }", {"id": s.saved["post three"]})),
    (
        "too long a title",
        lambda s: s.graphql(
            "mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }",
            {"input": {"title": "x" * 201, "body": ""}},
        ),
    ),
    ("first 101", lambda s: s.graphql("{ posts(first: 101) { items { id } } }")),
    ("first 0 nested", lambda s: s.graphql("{ me { posts(first: 0) { items { id } } } }")),
    ("bad cursor", lambda s: s.graphql('{ posts(after: "bad") { items { id } } }')),
    ("bad id", lambda s: s.graphql('{ post(id: "nope") { id } }')),
    ("parse error", lambda s: s.graphql("{ posts { items { id }")),
    ("unknown field", lambda s: s.graphql("{ posts { items { secret } } }")),
    ("missing variable", lambda s: s.graphql("query ($id: ID!) { post(id: $id) { id } }", {})),
    ("aliases", lambda s: s.graphql("{ " + " ".join(f"a{n}: __typename" for n in range(16)) + " }")),
    (
        "cost",
        lambda s: s.graphql(
            "{ " + " ".join(f"p{n}: posts(first: 100) {{ items {{ {POST} }} }}" for n in range(8)) + " }"
        ),
    ),
    ("update me", lambda s: s.graphql('mutation { updateMe(input: {name: "Ada B."}) { id name email role } }')),
    ("short password", lambda s: s.graphql('mutation { updateMe(input: {password: "short"}) { id } }')),
    ("modern accept", lambda s: s.graphql("{ __typename }", Accept="application/graphql-response+json")),
    ("no token", lambda s: s.graphql("{ __typename }", caller="")),
    (
        "bad token",
        lambda s: s.client.post("/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": "Bearer x"}),
    ),
    ("no query", lambda s: s.client.post("/graphql", json={"variables": {}}, headers=s.auth("a"))),
    (
        "text body",
        lambda s: s.client.post(
            "/graphql", content="{ __typename }", headers=s.auth("a") | {"Content-Type": "text/plain"}
        ),
    ),
    ("introspection", lambda s: s.graphql(INTROSPECTION)),
]
