import uuid

import httpx
import pytest

from tests.callers import NewAuthor, Staff, write_post
from tests.graphql.client import codes_of, data_of, run

POSTS = """
    query ($first: Int, $after: String) {
      posts(first: $first, after: $after) {
        items { id title createdAt author { id name } }
        nextCursor
      }
    }
"""


async def test_a_post_is_rest_s_post_field_for_field(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors("Grace Hopper")
    post = await write_post(api, author, title="Compilers")
    query = """
        query ($id: ID!) { post(id: $id) { id title body createdAt updatedAt author { id name } } }
    """

    found = data_of(await run(api, query, {"id": post["id"]}, headers=author.headers))["post"]

    assert found == {
        "id": post["id"],
        "title": post["title"],
        "body": post["body"],
        "createdAt": post["created_at"],
        "updatedAt": post["updated_at"],
        "author": post["author"],
    }


async def test_cursors_work_in_rest_and_graphql_alike(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    for n in range(5):
        await write_post(api, author, title=f"Post {n}")
    every = await api.get("/api/v1/posts", headers=author.headers)
    ids = [item["id"] for item in every.json()["items"]]

    first = data_of(await run(api, POSTS, {"first": 2}, headers=author.headers))["posts"]
    rest = await api.get("/api/v1/posts", params={"limit": 2}, headers=author.headers)
    rest_first = rest.json()
    assert first["nextCursor"] == rest_first["next_cursor"]
    # GraphQL's cursor in REST, and REST's next cursor back in GraphQL.
    rest_second = await api.get(
        "/api/v1/posts", params={"limit": 2, "cursor": first["nextCursor"]}, headers=author.headers
    )
    third = await run(
        api, POSTS, {"first": 2, "after": rest_second.json()["next_cursor"]}, headers=author.headers
    )

    assert [item["id"] for item in first["items"]] == ids[:2]
    assert [item["id"] for item in rest_second.json()["items"]] == ids[2:4]
    assert [item["id"] for item in data_of(third)["posts"]["items"]] == ids[4:]
    assert data_of(third)["posts"]["nextCursor"] is None


async def test_posts_of_one_author_and_a_user_s_own_posts(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    ada, grace = await authors("Ada"), await authors("Grace")
    await write_post(api, ada, title="Ada's")
    await write_post(api, grace, title="Grace's")
    query = """
        query ($id: ID!) {
          posts(authorId: $id) { items { title } }
          user(id: $id) { posts(first: 1) { items { title } nextCursor } }
        }
    """

    data = data_of(await run(api, query, {"id": grace.id}, headers=grace.headers))

    assert data["posts"]["items"] == [{"title": "Grace's"}]
    assert data["user"]["posts"] == {"items": [{"title": "Grace's"}], "nextCursor": None}


@pytest.mark.parametrize(
    ("arguments", "loc"),
    [
        ("first: 0", ["first"]),
        ("first: 101", ["first"]),
        ('after: "nope"', ["after"]),
        ('authorId: "42"', ["authorId"]),
    ],
)
async def test_bad_page_arguments_are_rest_s_422_as_bad_user_input(
    api: httpx.AsyncClient, authors: NewAuthor, arguments: str, loc: list[str]
) -> None:
    author = await authors()
    query = "{ posts(" + arguments + ") { nextCursor } }"
    response = await run(api, query, headers=author.headers)

    assert codes_of(response, 200) == ["BAD_USER_INPUT"]
    error = response.json()["errors"][0]
    assert error["path"] == ["posts"]
    assert error["message"] == "The request is invalid; see errors."
    assert [entry["loc"] for entry in error["extensions"]["errors"]] == [loc]
    assert response.json()["data"] is None


async def test_unknown_and_malformed_ids(
    api: httpx.AsyncClient, authors: NewAuthor, staff: Staff
) -> None:
    author = await authors()
    query = "query ($id: ID!) { post(id: $id) { id } }"
    unknown = await run(api, query, {"id": str(uuid.uuid4())}, headers=author.headers)
    malformed = await run(api, '{ user(id: "42") { id } }', headers=staff.headers)

    assert codes_of(unknown, 200) == ["NOT_FOUND"]
    assert unknown.json()["data"] == {"post": None}
    assert unknown.json()["errors"][0]["message"] == "No post has this id."
    assert codes_of(malformed, 200) == ["BAD_USER_INPUT"]
    assert malformed.json()["errors"][0]["extensions"]["errors"][0]["loc"] == ["id"]


async def test_loaders_are_made_for_each_request(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    query = "query ($id: ID!) { user(id: $id) { posts { items { title } } } }"
    before = data_of(await run(api, query, {"id": author.id}, headers=author.headers))
    await write_post(api, author, title="Later")
    after = data_of(await run(api, query, {"id": author.id}, headers=author.headers))

    assert before["user"]["posts"]["items"] == []
    assert after["user"]["posts"]["items"] == [{"title": "Later"}]
