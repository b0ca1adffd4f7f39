import asyncio
from typing import Any

import httpx
import pytest

from tests.callers import NewAuthor, Staff, write_post
from tests.helpers import error_locations, is_newest_first


def newest_first(posts: list[dict[str, Any]]) -> list[str]:
    """The ids in list order: created_at, then id, both descending."""
    return [post["id"] for post in sorted(posts, key=lambda p: (p["created_at"], p["id"]))][::-1]


async def list_all(
    api: httpx.AsyncClient, staff: Staff, **params: str | int
) -> list[dict[str, Any]]:
    """Every post, page by page, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        page = (await api.get("/api/v1/posts", params=query, headers=staff.headers)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_list_embeds_each_author_and_pages_without_gaps(
    api: httpx.AsyncClient, staff: Staff, authors: NewAuthor
) -> None:
    ada, grace = await authors("Ada"), await authors("Grace")
    created = [await write_post(api, author) for author in (ada, grace) * 4]

    listed = await list_all(api, staff, limit=3)

    assert sorted(post["id"] for post in listed) == sorted(post["id"] for post in created)
    assert is_newest_first(listed)
    names = {ada.id: "Ada", grace.id: "Grace"}
    for post in listed:
        assert post["author"] == {"id": post["author_id"], "name": names[post["author_id"]]}


async def test_pages_stay_stable_while_posts_are_added(
    api: httpx.AsyncClient, staff: Staff, authors: NewAuthor
) -> None:
    author = await authors()
    older = [await write_post(api, author) for _ in range(4)]

    first = (await api.get("/api/v1/posts", params={"limit": 2}, headers=staff.headers)).json()
    await asyncio.sleep(0.002)  # a later millisecond than every older post
    newer = await write_post(api, author)
    params = {"limit": 2, "cursor": first["next_cursor"]}
    second = (await api.get("/api/v1/posts", params=params, headers=staff.headers)).json()

    seen = [post["id"] for post in first["items"] + second["items"]]
    assert seen == newest_first(older)
    assert newer["id"] not in seen
    assert second["next_cursor"] is None


async def test_list_filters_by_author(
    api: httpx.AsyncClient, staff: Staff, authors: NewAuthor
) -> None:
    ada, grace = await authors(), await authors()
    mine = [await write_post(api, ada) for _ in range(3)]
    await write_post(api, grace)

    listed = await list_all(api, staff, author_id=ada.id, limit=2)

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
    api: httpx.AsyncClient, staff: Staff, params: dict[str, str | int], location: list[str]
) -> None:
    response = await api.get("/api/v1/posts", params=params, headers=staff.headers)

    assert error_locations(response) == [location]
