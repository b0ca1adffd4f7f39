"""Data for the benchmark, written through the service's own API (the same in both frameworks)."""

from __future__ import annotations

import http.client
import json
import secrets
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlsplit

from scripts.benchmark.errors import BenchError

API = "/api/v1"
POSTS = 200
PAGE = 50


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: Any


class Client:
    """One keep-alive connection to a loopback server."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        parts = urlsplit(base_url)
        self._connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        self.token = token

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._connection.close()

    def call(self, method: str, path: str, body: object = None) -> Response:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self._connection.request(method, path, body=payload, headers=headers)
        response = self._connection.getresponse()
        raw = response.read()
        content_type = response.getheader("Content-Type", "")
        decoded = json.loads(raw) if raw and "json" in content_type else raw.decode(errors="replace")
        return Response(response.status, {name.lower(): value for name, value in response.getheaders()}, decoded)

    def expect(self, status: int, method: str, path: str, body: object = None) -> Response:
        response = self.call(method, path, body)
        if response.status != status:
            raise BenchError(f"{method} {path} answered {response.status}, expected {status}: {response.body}")
        return response


@dataclass(frozen=True)
class Seeded:
    token: str
    post_id: str


def seed(base_url: str) -> Seeded:
    """One user with a password, a bearer token from POST /auth/token, and POSTS posts by that user."""
    email, password = f"bench-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(16)
    with Client(base_url) as client:
        client.expect(201, "POST", f"{API}/users", {"email": email, "name": "Bench Author", "password": password})
        tokens = client.expect(200, "POST", f"{API}/auth/token", {"email": email, "password": password}).body
        client.token = str(tokens["access_token"])
        post_id = ""
        for number in range(POSTS):
            body = {"title": f"Post {number}", "body": "A paragraph of text for the benchmark. " * 10}
            post_id = str(client.expect(201, "POST", f"{API}/posts", body).body["id"])
        page = client.expect(200, "GET", f"{API}/posts?limit={PAGE}").body
        if len(page["items"]) != PAGE or "author" not in page["items"][0]:
            raise BenchError(f"GET {API}/posts?limit={PAGE} did not return {PAGE} posts with their authors")
    return Seeded(client.token, post_id)


def read_post_twice(base_url: str, token: str, post_id: str) -> str | None:
    """Warm the cache with one read; the X-Cache header of the second read, if the render sends one."""
    with Client(base_url, token) as client:
        client.expect(200, "GET", f"{API}/posts/{post_id}")
        return client.expect(200, "GET", f"{API}/posts/{post_id}").headers.get("x-cache")


# The GraphQL twin of GET /posts?limit=PAGE: the same fields, each post with its author.
GRAPHQL_PAGE = json.dumps(
    {
        "query": f"{{ posts(first: {PAGE}) {{ items {{ id title body createdAt updatedAt author {{ id name }} }} "
        "nextCursor } }"
    },
    separators=(",", ":"),
)


def check_ok(base_url: str, token: str, path: str, body: str | None = None) -> None:
    """One request as the load will send it answers 200 (for GraphQL: PAGE posts, no errors)."""
    with Client(base_url, token) as client:
        if body is None:
            client.expect(200, "GET", path)
            return
        answer = client.expect(200, "POST", path, json.loads(body)).body
        if not isinstance(answer, dict) or "errors" in answer or len(answer["data"]["posts"]["items"]) != PAGE:
            raise BenchError(f"POST {path} did not answer {PAGE} posts without errors: {answer}")
