import uuid
from typing import Any

import httpx

from tests.callers import Author, NewAuthor, write_post
from tests.graphql.client import codes_of, data_of, run

CREATE = """
    mutation ($input: CreatePostInput!) {
      createPost(input: $input) { id title body author { id name } }
    }
"""
UPDATE = """
    mutation ($id: ID!, $input: UpdatePostInput!) {
      updatePost(id: $id, input: $input) { id title body updatedAt }
    }
"""
DELETE = "mutation ($id: ID!) { deletePost(id: $id) }"


def create_input(author: Author, **fields: object) -> dict[str, Any]:
    """CreatePostInput by ``author``: named by authorId where the schema asks for it."""
    return ({} if author.headers else {"authorId": author.id}) | fields


async def _titles(api: httpx.AsyncClient, author: Author) -> list[str]:
    page = (await api.get("/api/v1/posts", headers=author.headers)).json()
    return [item["title"] for item in page["items"]]


async def test_a_created_post_is_read_by_rest(api: httpx.AsyncClient, authors: NewAuthor) -> None:
    author = await authors("Ada")
    variables = {"input": create_input(author, title="Notes", body="On the engine.")}

    created = data_of(await run(api, CREATE, variables, headers=author.headers))["createPost"]
    read = await api.get(f"/api/v1/posts/{created['id']}", headers=author.headers)

    assert created["author"] == {"id": author.id, "name": "Ada"}
    assert read.status_code == 200
    assert (read.json()["title"], read.json()["body"]) == ("Notes", "On the engine.")


async def test_input_is_checked_by_rest_s_rules(api: httpx.AsyncClient, authors: NewAuthor) -> None:
    author = await authors()
    variables = {"input": create_input(author, title="x" * 201, body="")}

    response = await run(api, CREATE, variables, headers=author.headers)

    assert codes_of(response, 200) == ["BAD_USER_INPUT"]
    assert response.json()["data"] is None
    errors = response.json()["errors"][0]["extensions"]["errors"]
    assert [error["loc"] for error in errors] == [["input", "title"]]
    assert errors[0]["type"] == "string_too_long"
    assert await _titles(api, author) == []


async def test_an_empty_update_changes_nothing(api: httpx.AsyncClient, authors: NewAuthor) -> None:
    author = await authors()
    post = await write_post(api, author, title="Same")

    updated = data_of(
        await run(api, UPDATE, {"id": post["id"], "input": {}}, headers=author.headers)
    )["updatePost"]
    title = {"id": post["id"], "input": {"title": "New"}}
    changed = data_of(await run(api, UPDATE, title, headers=author.headers))["updatePost"]

    assert (updated["title"], updated["updatedAt"]) == ("Same", post["updated_at"])
    assert changed["title"] == "New"
    assert await _titles(api, author) == ["New"]


async def test_deleting_an_unknown_post_is_not_found_with_null_data(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    post = await write_post(api, author)

    deleted = await run(api, DELETE, {"id": post["id"]}, headers=author.headers)
    again = await run(api, DELETE, {"id": post["id"]}, headers=author.headers)

    assert data_of(deleted) == {"deletePost": True}
    assert codes_of(again, 200) == ["NOT_FOUND"]
    assert again.json()["data"] is None


async def test_each_mutation_stands_or_falls_on_its_own(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    post = await write_post(api, author, title="Kept")
    query = """
        mutation ($id: ID!, $gone: ID!, $input: CreatePostInput!) {
          created: createPost(input: $input) { title }
          changed: updatePost(id: $id, input: {title: "Changed"}) { title }
          failed: updatePost(id: $gone, input: {title: "Never"}) { title }
        }
    """
    variables = {
        "id": post["id"],
        "gone": str(uuid.uuid4()),
        "input": create_input(author, title="Fresh", body=""),
    }

    response = await run(api, query, variables, headers=author.headers)

    assert codes_of(response, 200) == ["NOT_FOUND"]
    # The failed field is nullable only through its parent: data is null, yet the two
    # mutations before it ran and were committed.
    assert response.json()["data"] is None
    assert sorted(await _titles(api, author)) == ["Changed", "Fresh"]
