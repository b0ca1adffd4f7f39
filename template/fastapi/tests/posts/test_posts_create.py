import uuid

import httpx
import pytest

from tests.callers import NewAuthor, Staff, post_body, write_post
from tests.helpers import assert_problem, error_locations


async def test_create_answers_201_with_location_and_the_post(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors("Ada")

    response = await api.post(
        "/api/v1/posts",
        json=post_body(author, title="Notes", body="On engines."),
        headers=author.headers,
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
    assert post["author_id"] == author.id
    assert post["author"] == {"id": author.id, "name": "Ada"}
    assert (post["title"], post["body"]) == ("Notes", "On engines.")
    assert post["updated_at"] == post["created_at"]
    assert response.headers["location"] == f"/api/v1/posts/{post['id']}"
    assert (await api.get(response.headers["location"], headers=author.headers)).json() == post


async def test_body_may_be_left_out(api: httpx.AsyncClient, authors: NewAuthor) -> None:
    author = await authors()

    response = await api.post(
        "/api/v1/posts", json=post_body(author, title="T"), headers=author.headers
    )

    assert response.status_code == 201
    assert response.json()["body"] == ""


async def test_unknown_author_is_a_422_problem_on_author_id(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()

    response = await api.post(
        "/api/v1/posts",
        json=post_body(author, title="T") | {"author_id": str(uuid.uuid4())},
        headers=author.headers,
    )

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
    api: httpx.AsyncClient, authors: NewAuthor, changes: dict[str, object], location: list[str]
) -> None:
    author = await authors()
    payload = post_body(author, title="T", body="") | changes

    response = await api.post("/api/v1/posts", json=payload, headers=author.headers)

    assert error_locations(response) == [location]


async def test_longest_title_and_body_are_accepted(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()

    post = await write_post(api, author, title="t" * 200, body="b" * 10_000)

    assert (len(post["title"]), len(post["body"])) == (200, 10_000)


async def test_get_unknown_post_is_a_404_and_a_bad_id_a_422(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    unknown = await api.get(f"/api/v1/posts/{uuid.uuid4()}", headers=staff.headers)
    malformed = await api.get("/api/v1/posts/not-a-uuid", headers=staff.headers)

    assert_problem(unknown, 404)
    assert error_locations(malformed) == [["path", "post_id"]]
