"""/api/v1/users without auth (DESIGN §3, the "no auth" column; decisions in README.md).

Applies to renders WITHOUT the auth task: tests/test_generated_projects.py does not run
this file against renders with auth (there the endpoints require a token).
"""

from __future__ import annotations

import base64
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from contract.api import TIMESTAMP, create_post, create_user, error_locations, list_all, newest_first, unique_email
from contract.problems import assert_problem


def test_sign_up_is_201_with_location_and_the_user(client: httpx.Client) -> None:
    email = unique_email()
    response = client.post("/api/v1/users", json={"email": email, "name": "Ada"})

    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/json")
    user = response.json()
    assert set(user) == {"id", "email", "name", "role", "created_at"}
    assert uuid.UUID(user["id"]).version == 4
    assert (user["email"], user["name"], user["role"]) == (email, "Ada", "user")
    assert TIMESTAMP.fullmatch(user["created_at"])
    assert response.headers["location"] == f"/api/v1/users/{user['id']}"
    assert client.get(response.headers["location"]).json() == user


def test_email_is_trimmed_and_lower_cased(client: httpx.Client) -> None:
    email = unique_email()
    response = client.post("/api/v1/users", json={"email": f"  {email.upper()} ", "name": "Ada"})

    assert response.status_code == 201
    assert response.json()["email"] == email


def test_duplicate_email_in_any_case_is_a_409_problem(client: httpx.Client) -> None:
    email = unique_email()
    client.post("/api/v1/users", json={"email": email, "name": "Ada"})

    response = client.post("/api/v1/users", json={"email": email.upper(), "name": "Other"})

    assert_problem(response, 409, "Conflict")


def test_concurrent_sign_ups_with_one_email_give_one_201(base_url: str) -> None:
    payload = {"email": unique_email(), "name": "Racer"}

    def sign_up(_: int) -> int:
        with httpx.Client(base_url=base_url, timeout=10) as own:
            return own.post("/api/v1/users", json=payload).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(sign_up, range(10)))

    assert statuses == [201] + [409] * 9


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"email": "x@example.com"}, ["body", "name"]),
        ({"email": "x@example.com", "name": ""}, ["body", "name"]),
        ({"email": "x@example.com", "name": "x" * 101}, ["body", "name"]),
        ({"email": "not-an-email", "name": "Ada"}, ["body", "email"]),
        ({"email": "x@example.com", "name": "Ada", "role": "admin"}, ["body", "role"]),
    ],
)
def test_invalid_or_unknown_fields_are_a_422_problem(
    client: httpx.Client, payload: dict[str, str], location: list[str]
) -> None:
    assert error_locations(client.post("/api/v1/users", json=payload)) == [location]


def test_unknown_user_is_404_and_a_bad_id_is_422(client: httpx.Client) -> None:
    assert_problem(client.get(f"/api/v1/users/{uuid.uuid4()}"), 404, "Not Found")
    assert error_locations(client.get("/api/v1/users/42")) == [["path", "user_id"]]
    # Without auth there is no /users/me: "me" is a malformed id like any other.
    assert error_locations(client.get("/api/v1/users/me")) == [["path", "user_id"]]


def test_list_pages_through_every_user_once_newest_first(client: httpx.Client) -> None:
    mine = {create_user(client)["id"] for _ in range(3)}

    listed = list_all(client, "/api/v1/users", limit=2)

    ids = [user["id"] for user in listed]
    assert len(ids) == len(set(ids))
    assert mine <= set(ids)
    assert ids == newest_first(listed)


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_limit_out_of_range_is_a_422_problem(client: httpx.Client, limit: str) -> None:
    assert error_locations(client.get("/api/v1/users", params={"limit": limit})) == [["query", "limit"]]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        base64.urlsafe_b64encode(b"[1, 2]").rstrip(b"=").decode(),
        base64.urlsafe_b64encode(b'["2026-01-01T00:00:00.000Z","x"]').rstrip(b"=").decode(),
    ],
)
def test_bad_cursor_is_a_422_problem_on_cursor(client: httpx.Client, cursor: str) -> None:
    assert error_locations(client.get("/api/v1/users", params={"cursor": cursor})) == [["query", "cursor"]]


def test_delete_is_204_then_404_and_takes_the_posts_along(client: httpx.Client) -> None:
    user = create_user(client)
    post = create_post(client, user["id"])

    response = client.delete(f"/api/v1/users/{user['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"/api/v1/users/{user['id']}"), 404, "Not Found")
    assert_problem(client.get(f"/api/v1/posts/{post['id']}"), 404, "Not Found")
    assert_problem(client.delete(f"/api/v1/users/{user['id']}"), 404, "Not Found")
