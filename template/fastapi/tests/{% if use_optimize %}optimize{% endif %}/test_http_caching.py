import httpx
from fastapi import FastAPI

from tests.optimize.seeding import seed_posts
from tests.posting import new_post


async def test_a_post_with_a_matching_etag_is_a_304_without_body(
    api: httpx.AsyncClient, app: FastAPI
) -> None:
    post, headers = await new_post(api, app)
    first = await api.get(f"/api/v1/posts/{post['id']}", headers=headers)
    etag = first.headers["ETag"]
    again = await api.get(f"/api/v1/posts/{post['id']}", headers=headers | {"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag


async def test_a_changed_post_gets_a_new_etag(api: httpx.AsyncClient, app: FastAPI) -> None:
    post, headers = await new_post(api, app)
    path = f"/api/v1/posts/{post['id']}"
    etag = (await api.get(path, headers=headers)).headers["ETag"]
    await api.patch(path, json={"title": "Changed"}, headers=headers)
    after = await api.get(path, headers=headers | {"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["ETag"] != etag


async def test_a_list_with_a_matching_etag_is_a_304(api: httpx.AsyncClient, app: FastAPI) -> None:
    _post, headers = await new_post(api, app)
    first = await api.get("/api/v1/posts", headers=headers)
    again = await api.get(
        "/api/v1/posts", headers=headers | {"If-None-Match": first.headers["ETag"]}
    )
    assert first.status_code == 200
    assert again.status_code == 304


async def test_a_large_list_is_compressed_when_the_client_accepts_it(
    api: httpx.AsyncClient, app: FastAPI
) -> None:
    post, headers = await new_post(api, app)
    await seed_posts(app, post["author_id"], 50)
    large = await api.get(
        "/api/v1/posts", params={"limit": 50}, headers=headers | {"Accept-Encoding": "gzip"}
    )
    small = await api.get(
        f"/api/v1/posts/{post['id']}", headers=headers | {"Accept-Encoding": "gzip"}
    )
    assert large.headers["Content-Encoding"] == "gzip"
    assert len(large.json()["items"]) == 50
    assert "Content-Encoding" not in small.headers
