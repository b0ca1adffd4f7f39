"""/api/v1/posts without auth (DESIGN §3, the "no auth" column; decisions in README.md).

Applies to renders WITHOUT the auth task: tests/test_generated_projects.py does not run
this file against renders with auth (there the endpoints require a token).
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from contract.api import TIMESTAMP, create_post, create_user, error_locations, list_all, newest_first
from contract.problems import assert_problem


def test_create_is_201_with_location_and_the_post_with_its_author(client: httpx.Client) -> None:
    author = create_user(client, name="Ada")

    response = client.post("/api/v1/posts", json={"author_id": author["id"], "title": "Notes", "body": "On engines."})

    assert response.status_code == 201
    post = response.json()
    assert set(post) == {"id", "author_id", "title", "body", "created_at", "updated_at", "author"}
    assert uuid.UUID(post["id"]).version == 4
    assert post["author"] == {"id": author["id"], "name": "Ada"}
    assert (post["author_id"], post["title"], post["body"]) == (author["id"], "Notes", "On engines.")
    assert TIMESTAMP.fullmatch(post["created_at"])
    assert post["updated_at"] == post["created_at"]
    assert response.headers["location"] == f"/api/v1/posts/{post['id']}"
    assert client.get(response.headers["location"]).json() == post


def test_unknown_author_is_a_422_problem_on_author_id(client: httpx.Client) -> None:
    response = client.post("/api/v1/posts", json={"author_id": str(uuid.uuid4()), "title": "T", "body": ""})

    assert error_locations(response) == [["body", "author_id"]]


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"title": ""}, ["body", "title"]),
        ({"title": "x" * 201}, ["body", "title"]),
        ({"body": "x" * 10_001}, ["body", "body"]),
        ({"pinned": True}, ["body", "pinned"]),
    ],
)
def test_invalid_post_is_a_422_problem(client: httpx.Client, changes: dict[str, object], location: list[str]) -> None:
    author = create_user(client)
    payload = {"author_id": author["id"], "title": "T", "body": ""} | changes

    assert error_locations(client.post("/api/v1/posts", json=payload)) == [location]


def test_unknown_post_is_404_and_a_bad_id_is_422(client: httpx.Client) -> None:
    assert_problem(client.get(f"/api/v1/posts/{uuid.uuid4()}"), 404, "Not Found")
    assert error_locations(client.get("/api/v1/posts/not-a-uuid")) == [["path", "post_id"]]


def test_list_by_author_pages_newest_first_with_the_author_embedded(client: httpx.Client) -> None:
    author = create_user(client, name="Grace")
    other = create_user(client)
    mine = [create_post(client, author["id"]) for _ in range(5)]
    create_post(client, other["id"])

    listed = list_all(client, "/api/v1/posts", author_id=author["id"], limit=2)

    assert [post["id"] for post in listed] == newest_first(mine)
    assert all(post["author"] == {"id": author["id"], "name": "Grace"} for post in listed)


def test_first_page_defaults_to_at_most_20(client: httpx.Client) -> None:
    page = client.get("/api/v1/posts").json()

    assert len(page["items"]) <= 20
    assert [post["id"] for post in page["items"]] == newest_first(page["items"])


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"limit": 0}, ["query", "limit"]),
        ({"limit": 101}, ["query", "limit"]),
        ({"cursor": "%%%"}, ["query", "cursor"]),
        ({"author_id": "ada"}, ["query", "author_id"]),
    ],
)
def test_bad_list_parameters_are_a_422_problem(
    client: httpx.Client, params: dict[str, str | int], location: list[str]
) -> None:
    assert error_locations(client.get("/api/v1/posts", params=params)) == [location]


def test_patch_changes_only_the_given_fields(client: httpx.Client) -> None:
    post = create_post(client, create_user(client)["id"], title="Draft", body="Text.")

    response = client.patch(f"/api/v1/posts/{post['id']}", json={"title": "Final"})

    assert response.status_code == 200
    patched = response.json()
    assert (patched["title"], patched["body"], patched["created_at"]) == ("Final", "Text.", post["created_at"])
    assert patched["updated_at"] >= post["updated_at"]
    assert client.get(f"/api/v1/posts/{post['id']}").json() == patched


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"author_id": str(uuid.uuid4())}, ["body", "author_id"]),
        ({"title": None}, ["body", "title"]),
        ({"title": ""}, ["body", "title"]),
    ],
)
def test_invalid_patch_is_a_422_problem(client: httpx.Client, changes: dict[str, object], location: list[str]) -> None:
    post = create_post(client, create_user(client)["id"])

    assert error_locations(client.patch(f"/api/v1/posts/{post['id']}", json=changes)) == [location]


def test_patch_and_delete_of_an_unknown_post_are_404(client: httpx.Client) -> None:
    assert_problem(client.patch(f"/api/v1/posts/{uuid.uuid4()}", json={"title": "T"}), 404, "Not Found")
    assert_problem(client.delete(f"/api/v1/posts/{uuid.uuid4()}"), 404, "Not Found")


def test_delete_is_204_then_the_post_is_gone(client: httpx.Client) -> None:
    post = create_post(client, create_user(client)["id"])

    response = client.delete(f"/api/v1/posts/{post['id']}")

    assert response.status_code == 204
    assert_problem(client.get(f"/api/v1/posts/{post['id']}"), 404, "Not Found")
