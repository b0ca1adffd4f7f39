"""GET /api/v1/posts/{id} and the cache task (DESIGN §3): with cache, Redis cache-aside
says ``X-Cache: MISS`` then ``HIT`` and a change drops the cached post; without cache,
no response carries X-Cache."""

from __future__ import annotations

from typing import Any

import httpx

from contract.api import create_post, create_user
from contract.test_auth import signed_up


def new_post(client: httpx.Client, tasks: frozenset[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """A new post by a new author, and the headers that act as that author."""
    if "auth" not in tasks:
        return create_post(client, create_user(client)["id"]), {}
    _, headers = signed_up(client)
    response = client.post("/api/v1/posts", json={"title": "Hello", "body": "Text."}, headers=headers)
    assert response.status_code == 201, response.text
    post: dict[str, Any] = response.json()
    return post, headers


def test_the_second_read_of_a_post_comes_from_the_cache(client: httpx.Client, tasks: frozenset[str]) -> None:
    post, headers = new_post(client, tasks)

    first = client.get(f"/api/v1/posts/{post['id']}", headers=headers)
    second = client.get(f"/api/v1/posts/{post['id']}", headers=headers)

    assert first.json() == second.json() == post
    if "cache" in tasks:
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    else:
        assert "x-cache" not in first.headers
        assert "x-cache" not in second.headers


def test_a_change_drops_the_cached_post(client: httpx.Client, tasks: frozenset[str]) -> None:
    post, headers = new_post(client, tasks)
    client.get(f"/api/v1/posts/{post['id']}", headers=headers)

    changed = client.patch(f"/api/v1/posts/{post['id']}", json={"title": "Changed"}, headers=headers)
    after = client.get(f"/api/v1/posts/{post['id']}", headers=headers)

    assert changed.status_code == 200
    assert after.json() == changed.json()
    assert after.json()["title"] == "Changed"
    if "cache" in tasks:
        assert after.headers["x-cache"] == "MISS"
    else:
        assert "x-cache" not in after.headers
