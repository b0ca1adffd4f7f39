import uuid

import httpx
import pytest

from tests.callers import NewAuthor, Staff, write_post
from tests.helpers import assert_problem, error_locations


async def test_patch_changes_only_the_given_fields(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    post = await write_post(api, author, title="Draft", body="Text.")
    path = f"/api/v1/posts/{post['id']}"

    response = await api.patch(path, json={"title": "Final"}, headers=author.headers)

    assert response.status_code == 200
    patched = response.json()
    assert (patched["title"], patched["body"]) == ("Final", "Text.")
    assert patched["created_at"] == post["created_at"]
    assert patched["updated_at"] >= post["updated_at"]
    assert patched["author"] == post["author"]
    assert (await api.get(path, headers=author.headers)).json() == patched


async def test_empty_patch_changes_nothing(api: httpx.AsyncClient, authors: NewAuthor) -> None:
    author = await authors()
    post = await write_post(api, author)

    response = await api.patch(f"/api/v1/posts/{post['id']}", json={}, headers=author.headers)

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
    api: httpx.AsyncClient, authors: NewAuthor, changes: dict[str, object], location: list[str]
) -> None:
    author = await authors()
    post = await write_post(api, author)

    response = await api.patch(f"/api/v1/posts/{post['id']}", json=changes, headers=author.headers)

    assert error_locations(response) == [location]


async def test_patch_of_unknown_post_is_a_404_problem(api: httpx.AsyncClient, staff: Staff) -> None:
    path = f"/api/v1/posts/{uuid.uuid4()}"

    response = await api.patch(path, json={"title": "T"}, headers=staff.headers)

    assert_problem(response, 404)


async def test_delete_answers_204_then_the_post_is_gone(
    api: httpx.AsyncClient, authors: NewAuthor, staff: Staff
) -> None:
    author = await authors()
    post = await write_post(api, author)
    path = f"/api/v1/posts/{post['id']}"

    response = await api.delete(path, headers=author.headers)

    assert response.status_code == 204
    assert_problem(await api.get(path, headers=staff.headers), 404)
    assert_problem(await api.delete(path, headers=staff.headers), 404)
