import asyncio
import base64
import re
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

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


async def test_sign_up_answers_201_with_location_and_the_user(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/v1/users", json={"email": "ada@example.com", "name": "Ada"})

    assert response.status_code == 201
    user = response.json()
    assert set(user) == {"id", "email", "name", "role", "created_at"}
    assert uuid.UUID(user["id"]).version == 4
    assert user | {"id": None, "created_at": None} == {
        "id": None,
        "email": "ada@example.com",
        "name": "Ada",
        "role": "user",
        "created_at": None,
    }
    assert TIMESTAMP.fullmatch(user["created_at"])
    assert response.headers["location"] == f"/api/v1/users/{user['id']}"
    assert (await api.get(response.headers["location"])).json() == user


async def test_email_is_trimmed_and_lower_cased(api: httpx.AsyncClient) -> None:
    user = await create_user(api, email="  Grace.Hopper@Example.COM ")

    assert user["email"] == "grace.hopper@example.com"


async def test_duplicate_email_in_any_case_is_a_409_problem(api: httpx.AsyncClient) -> None:
    await create_user(api, email="ada@example.com")

    response = await api.post("/api/v1/users", json={"email": "ADA@example.com", "name": "Other"})

    body = assert_problem(response, 409)
    assert body["title"] == "Conflict"


async def test_concurrent_sign_ups_with_one_email_give_one_201_and_409s(
    api: httpx.AsyncClient,
) -> None:
    payload = {"email": "race@example.com", "name": "Racer"}

    responses = await asyncio.gather(*(api.post("/api/v1/users", json=payload) for _ in range(10)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 9
    listed = (await api.get("/api/v1/users")).json()["items"]
    assert [user["email"] for user in listed] == ["race@example.com"]


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"email": "ada@example.com"}, ["body", "name"]),
        ({"email": "ada@example.com", "name": ""}, ["body", "name"]),
        ({"email": "ada@example.com", "name": "x" * 101}, ["body", "name"]),
        ({"email": "not-an-email", "name": "Ada"}, ["body", "email"]),
        ({"email": f"{'a' * 64}@{'b' * 186}.example", "name": "Ada"}, ["body", "email"]),
        ({"email": "ada@example.com", "name": "Ada", "role": "admin"}, ["body", "role"]),
    ],
)
async def test_invalid_or_unknown_fields_are_a_422_problem(
    api: httpx.AsyncClient, payload: dict[str, str], location: list[str]
) -> None:
    response = await api.post("/api/v1/users", json=payload)

    assert error_locations(response) == [location]


async def test_get_unknown_user_is_a_404_problem(api: httpx.AsyncClient) -> None:
    response = await api.get(f"/api/v1/users/{uuid.uuid4()}")

    assert assert_problem(response, 404)["title"] == "Not Found"


async def test_user_id_that_is_not_a_uuid_is_a_422_problem(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/users/42")

    assert error_locations(response) == [["path", "user_id"]]


async def test_list_pages_through_every_user_newest_first(api: httpx.AsyncClient) -> None:
    created = {(await create_user(api))["id"] for _ in range(5)}

    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = await api.get("/api/v1/users", params=params)
        assert response.status_code == 200
        page = response.json()
        assert set(page) == {"items", "next_cursor"}
        seen += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert {user["id"] for user in seen} == created
    assert len(seen) == len(created)
    assert is_newest_first(seen)


async def test_limit_defaults_to_20(api: httpx.AsyncClient) -> None:
    for _ in range(21):
        await create_user(api)

    page = (await api.get("/api/v1/users")).json()

    assert len(page["items"]) == 20
    assert page["next_cursor"] is not None


@pytest.mark.parametrize("limit", ["0", "101", "many"])
async def test_limit_out_of_range_is_a_422_problem(api: httpx.AsyncClient, limit: str) -> None:
    response = await api.get("/api/v1/users", params={"limit": limit})

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
async def test_bad_cursor_is_a_422_problem_on_cursor(api: httpx.AsyncClient, cursor: str) -> None:
    response = await api.get("/api/v1/users", params={"cursor": cursor})

    assert error_locations(response) == [["query", "cursor"]]


async def test_delete_answers_204_then_the_user_is_gone(api: httpx.AsyncClient) -> None:
    user = await create_user(api)

    response = await api.delete(f"/api/v1/users/{user['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await api.get(f"/api/v1/users/{user['id']}"), 404)
    assert_problem(await api.delete(f"/api/v1/users/{user['id']}"), 404)


async def test_deleting_a_user_deletes_their_posts(api: httpx.AsyncClient) -> None:
    author, other = await create_user(api), await create_user(api)
    gone = [await create_post(api, author["id"]) for _ in range(3)]
    kept = await create_post(api, other["id"])

    await api.delete(f"/api/v1/users/{author['id']}")

    for post in gone:
        assert_problem(await api.get(f"/api/v1/posts/{post['id']}"), 404)
    listed = (await api.get("/api/v1/posts")).json()["items"]
    assert [post["id"] for post in listed] == [kept["id"]]
