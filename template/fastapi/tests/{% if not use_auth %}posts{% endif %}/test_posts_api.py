import asyncio
import uuid
from typing import Any

import httpx
import pytest

from tests.helpers import (
    assert_problem,
    create_post,
    create_user,
    error_locations,
    is_newest_first,
)


def newest_first(posts: list[dict[str, Any]]) -> list[str]:
    """The ids in list order: created_at, then id, both descending."""
    return [post["id"] for post in sorted(posts, key=lambda p: (p["created_at"], p["id"]))][::-1]


async def list_all(api: httpx.AsyncClient, **params: str | int) -> list[dict[str, Any]]:
    """Every post, page by page, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        page = (await api.get("/api/v1/posts", params=query)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_create_answers_201_with_location_and_the_post(api: httpx.AsyncClient) -> None:
    author = await create_user(api, name="Ada")

    response = await api.post(
        "/api/v1/posts", json={"author_id": author["id"], "title": "Notes", "body": "On engines."}
    )

    assert response.status_code == 201
    post = response.json()
    assert set(post) == {
        "id",
        "author_id",
        "title",
        "body",
        "created_at",
        "updated_at",
        "author",
    }
    assert uuid.UUID(post["id"]).version == 4
    assert post["author_id"] == author["id"]
    assert post["author"] == {"id": author["id"], "name": "Ada"}
    assert (post["title"], post["body"]) == ("Notes", "On engines.")
    assert post["updated_at"] == post["created_at"]
    assert response.headers["location"] == f"/api/v1/posts/{post['id']}"
    assert (await api.get(response.headers["location"])).json() == post


async def test_body_may_be_left_out(api: httpx.AsyncClient) -> None:
    author = await create_user(api)

    response = await api.post("/api/v1/posts", json={"author_id": author["id"], "title": "T"})

    assert response.status_code == 201
    assert response.json()["body"] == ""


async def test_unknown_author_is_a_422_problem_on_author_id(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/v1/posts", json={"author_id": str(uuid.uuid4()), "title": "T"})

    assert error_locations(response) == [["body", "author_id"]]


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"title": ""}, ["body", "title"]),
        ({"title": "x" * 201}, ["body", "title"]),
        ({"body": "x" * 10_001}, ["body", "body"]),
        ({"author_id": "nope"}, ["body", "author_id"]),
        ({"pinned": True}, ["body", "pinned"]),
    ],
)
async def test_invalid_post_is_a_422_problem(
    api: httpx.AsyncClient, changes: dict[str, object], location: list[str]
) -> None:
    author = await create_user(api)
    payload = {"author_id": author["id"], "title": "T", "body": ""} | changes

    response = await api.post("/api/v1/posts", json=payload)

    assert error_locations(response) == [location]


async def test_longest_title_and_body_are_accepted(api: httpx.AsyncClient) -> None:
    author = await create_user(api)

    post = await create_post(api, author["id"], title="t" * 200, body="b" * 10_000)

    assert (len(post["title"]), len(post["body"])) == (200, 10_000)


async def test_get_unknown_post_is_a_404_and_a_bad_id_a_422(api: httpx.AsyncClient) -> None:
    assert_problem(await api.get(f"/api/v1/posts/{uuid.uuid4()}"), 404)
    assert error_locations(await api.get("/api/v1/posts/not-a-uuid")) == [["path", "post_id"]]


async def test_list_embeds_each_author_and_pages_without_gaps(api: httpx.AsyncClient) -> None:
    ada, grace = await create_user(api, name="Ada"), await create_user(api, name="Grace")
    created = [await create_post(api, author["id"]) for author in (ada, grace) * 4]

    listed = await list_all(api, limit=3)

    assert sorted(post["id"] for post in listed) == sorted(post["id"] for post in created)
    assert is_newest_first(listed)
    names = {ada["id"]: "Ada", grace["id"]: "Grace"}
    for post in listed:
        assert post["author"] == {"id": post["author_id"], "name": names[post["author_id"]]}


async def test_pages_stay_stable_while_posts_are_added(api: httpx.AsyncClient) -> None:
    author = await create_user(api)
    older = [await create_post(api, author["id"]) for _ in range(4)]

    first = (await api.get("/api/v1/posts", params={"limit": 2})).json()
    await asyncio.sleep(0.002)  # a later millisecond than every older post
    newer = await create_post(api, author["id"])
    second = (
        await api.get("/api/v1/posts", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()

    seen = [post["id"] for post in first["items"] + second["items"]]
    assert seen == newest_first(older)
    assert newer["id"] not in seen
    assert second["next_cursor"] is None


async def test_list_filters_by_author(api: httpx.AsyncClient) -> None:
    ada, grace = await create_user(api), await create_user(api)
    mine = [await create_post(api, ada["id"]) for _ in range(3)]
    await create_post(api, grace["id"])

    listed = await list_all(api, author_id=ada["id"], limit=2)

    assert [post["id"] for post in listed] == newest_first(mine)


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"limit": 0}, ["query", "limit"]),
        ({"limit": 101}, ["query", "limit"]),
        ({"cursor": "%%%"}, ["query", "cursor"]),
        ({"author_id": "ada"}, ["query", "author_id"]),
    ],
)
async def test_bad_list_parameters_are_a_422_problem(
    api: httpx.AsyncClient, params: dict[str, str | int], location: list[str]
) -> None:
    response = await api.get("/api/v1/posts", params=params)

    assert error_locations(response) == [location]


async def test_patch_changes_only_the_given_fields(api: httpx.AsyncClient) -> None:
    author = await create_user(api)
    post = await create_post(api, author["id"], title="Draft", body="Text.")

    response = await api.patch(f"/api/v1/posts/{post['id']}", json={"title": "Final"})

    assert response.status_code == 200
    patched = response.json()
    assert (patched["title"], patched["body"]) == ("Final", "Text.")
    assert patched["created_at"] == post["created_at"]
    assert patched["updated_at"] >= post["updated_at"]
    assert patched["author"] == post["author"]
    assert (await api.get(f"/api/v1/posts/{post['id']}")).json() == patched


async def test_empty_patch_changes_nothing(api: httpx.AsyncClient) -> None:
    author = await create_user(api)
    post = await create_post(api, author["id"])

    response = await api.patch(f"/api/v1/posts/{post['id']}", json={})

    assert response.status_code == 200
    assert response.json() == post


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"author_id": str(uuid.uuid4())}, ["body", "author_id"]),
        ({"title": None}, ["body", "title"]),
        ({"title": ""}, ["body", "title"]),
        ({"body": "x" * 10_001}, ["body", "body"]),
    ],
)
async def test_invalid_patch_is_a_422_problem(
    api: httpx.AsyncClient, changes: dict[str, object], location: list[str]
) -> None:
    author = await create_user(api)
    post = await create_post(api, author["id"])

    response = await api.patch(f"/api/v1/posts/{post['id']}", json=changes)

    assert error_locations(response) == [location]


async def test_patch_of_unknown_post_is_a_404_problem(api: httpx.AsyncClient) -> None:
    response = await api.patch(f"/api/v1/posts/{uuid.uuid4()}", json={"title": "T"})

    assert_problem(response, 404)


async def test_delete_answers_204_then_the_post_is_gone(api: httpx.AsyncClient) -> None:
    author = await create_user(api)
    post = await create_post(api, author["id"])

    response = await api.delete(f"/api/v1/posts/{post['id']}")

    assert response.status_code == 204
    assert_problem(await api.get(f"/api/v1/posts/{post['id']}"), 404)
    assert_problem(await api.delete(f"/api/v1/posts/{post['id']}"), 404)
