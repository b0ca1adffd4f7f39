import base64
import uuid
from typing import Any

import httpx
import pytest

from tests.callers import NewAuthor, Staff, write_post
from tests.helpers import assert_problem, create_user, error_locations, is_newest_first


async def test_get_unknown_user_is_a_404_problem(api: httpx.AsyncClient, staff: Staff) -> None:
    response = await api.get(f"/api/v1/users/{uuid.uuid4()}", headers=staff.headers)

    assert assert_problem(response, 404)["title"] == "Not Found"


async def test_user_id_that_is_not_a_uuid_is_a_422_problem(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    response = await api.get("/api/v1/users/42", headers=staff.headers)

    assert error_locations(response) == [["path", "user_id"]]


async def test_list_pages_through_every_user_newest_first(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    created = {(await create_user(api))["id"] for _ in range(5)} | staff.user_ids

    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = await api.get("/api/v1/users", params=params, headers=staff.headers)
        assert response.status_code == 200
        page = response.json()
        assert set(page) == {"items", "next_cursor"}
        seen += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == (len(created) + 1) // 2
    assert {user["id"] for user in seen} == created
    assert len(seen) == len(created)
    assert is_newest_first(seen)


async def test_limit_defaults_to_20(api: httpx.AsyncClient, staff: Staff) -> None:
    for _ in range(21):
        await create_user(api)

    page = (await api.get("/api/v1/users", headers=staff.headers)).json()

    assert len(page["items"]) == 20
    assert page["next_cursor"] is not None


@pytest.mark.parametrize("limit", ["0", "101", "many"])
async def test_limit_out_of_range_is_a_422_problem(
    api: httpx.AsyncClient, staff: Staff, limit: str
) -> None:
    response = await api.get("/api/v1/users", params={"limit": limit}, headers=staff.headers)

    assert error_locations(response) == [["query", "limit"]]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        _b64(b"not json"),
        _b64(b'{"created_at": "2026-01-01T00:00:00.000Z"}'),
        _b64(b'["2026-01-01T00:00:00Z", "0b8f3f5e-8a0a-4f2e-9a55-0a6f7f8d9c10"]'),
        _b64(b'["2026-01-01T00:00:00.000Z", "not-a-uuid"]'),
    ],
)
async def test_bad_cursor_is_a_422_problem_on_cursor(
    api: httpx.AsyncClient, staff: Staff, cursor: str
) -> None:
    response = await api.get("/api/v1/users", params={"cursor": cursor}, headers=staff.headers)

    assert error_locations(response) == [["query", "cursor"]]


async def test_delete_answers_204_then_the_user_is_gone(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    user = await create_user(api)
    path = f"/api/v1/users/{user['id']}"

    response = await api.delete(path, headers=staff.headers)

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await api.get(path, headers=staff.headers), 404)
    assert_problem(await api.delete(path, headers=staff.headers), 404)


async def test_deleting_a_user_deletes_their_posts(
    api: httpx.AsyncClient, staff: Staff, authors: NewAuthor
) -> None:
    author, other = await authors(), await authors()
    gone = [await write_post(api, author) for _ in range(3)]
    kept = await write_post(api, other)

    await api.delete(f"/api/v1/users/{author.id}", headers=staff.headers)

    for post in gone:
        assert_problem(await api.get(f"/api/v1/posts/{post['id']}", headers=staff.headers), 404)
    listed = (await api.get("/api/v1/posts", headers=staff.headers)).json()["items"]
    assert [post["id"] for post in listed] == [kept["id"]]
