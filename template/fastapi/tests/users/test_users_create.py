import asyncio
import re
import uuid

import httpx
import pytest

from tests.callers import Staff, sign_up_body
from tests.helpers import assert_problem, create_user, error_locations

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


async def test_sign_up_answers_201_with_location_and_the_user(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = sign_up_body({"email": "ada@example.com", "name": "Ada"})

    response = await api.post("/api/v1/users", json=body)

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
    assert (await api.get(response.headers["location"], headers=staff.headers)).json() == user


async def test_email_is_trimmed_and_lower_cased(api: httpx.AsyncClient) -> None:
    user = await create_user(api, email="  Grace.Hopper@Example.COM ")

    assert user["email"] == "grace.hopper@example.com"


async def test_duplicate_email_in_any_case_is_a_409_problem(api: httpx.AsyncClient) -> None:
    await create_user(api, email="ada@example.com")

    response = await api.post(
        "/api/v1/users", json=sign_up_body({"email": "ADA@example.com", "name": "Other"})
    )

    body = assert_problem(response, 409)
    assert body["title"] == "Conflict"


async def test_concurrent_sign_ups_with_one_email_give_one_201_and_409s(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    payload = sign_up_body({"email": "race@example.com", "name": "Racer"})

    responses = await asyncio.gather(*(api.post("/api/v1/users", json=payload) for _ in range(10)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 9
    listed = (await api.get("/api/v1/users", headers=staff.headers)).json()["items"]
    assert [user["email"] for user in staff.others(listed)] == ["race@example.com"]


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
    response = await api.post("/api/v1/users", json=sign_up_body(payload))

    assert error_locations(response) == [location]
