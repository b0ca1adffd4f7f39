"""GraphQL (DESIGN §3 "API styles"), black-box, for renders whose api_styles hold graphql.

The same service as REST behind another door: the same records, cursors and permissions,
with errors as `extensions.code`. The endpoint's HTTP rules and limits are in
test_graphql_requests.py; tests/test_generated_projects.py runs both files only against
such renders, started with the limits of contract.graphql.SERVER_SETTINGS.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract.graphql import (
    Caller,
    codes,
    failed,
    ok,
    post_graphql,
    random_id,
)
from contract.problems import assert_problem

POST_FIELDS = "id title body author { id name } createdAt updatedAt"


def as_rest(post: dict[str, Any]) -> dict[str, Any]:
    """A GraphQL post spelled as REST spells it (REST also repeats the author's id as author_id)."""
    renamed = {"createdAt": "created_at", "updatedAt": "updated_at"}
    return {renamed.get(key, key): value for key, value in post.items()} | {"author_id": post["author"]["id"]}


def test_a_post_reads_exactly_as_rest_serves_it(caller: Caller) -> None:
    created = caller.create_post("Hello", "Text.")
    data = ok(caller.graphql(f"query ($id: ID!) {{ post(id: $id) {{ {POST_FIELDS} }} }}", {"id": created["id"]}))
    rest = caller.client.get(f"/api/v1/posts/{created['id']}", headers=caller.headers)
    assert rest.status_code == 200
    assert as_rest(data["post"]) == rest.json()


def test_pages_take_and_give_the_cursors_rest_does(caller: Caller) -> None:
    ids = [caller.create_post(f"Post {number}")["id"] for number in range(3)]
    author = caller.user["id"]
    page = ok(
        caller.graphql(
            "query ($author: ID!) { posts(first: 2, authorId: $author) { items { id } nextCursor } }",
            {"author": author},
        )
    )["posts"]
    assert [item["id"] for item in page["items"]] == ids[::-1][:2]
    # GraphQL's cursor continues the REST list ...
    rest = caller.client.get(
        "/api/v1/posts",
        params={"limit": 2, "author_id": author, "cursor": page["nextCursor"]},
        headers=caller.headers,
    ).json()
    assert [item["id"] for item in rest["items"]] == ids[:1]
    assert rest["next_cursor"] is None
    # ... and REST's continues the GraphQL list.
    first = caller.client.get("/api/v1/posts", params={"limit": 1, "author_id": author}, headers=caller.headers).json()
    rest_then_graphql = ok(
        caller.graphql(
            "query ($author: ID!, $after: String) { posts(first: 5, after: $after, authorId: $author) "
            "{ items { id } nextCursor } }",
            {"author": author, "after": first["next_cursor"]},
        )
    )["posts"]
    assert [item["id"] for item in rest_then_graphql["items"]] == ids[::-1][1:]
    assert rest_then_graphql["nextCursor"] is None


def test_a_users_posts_page_through_the_user(caller: Caller) -> None:
    ids = [caller.create_post(f"Post {number}")["id"] for number in range(3)]
    data = ok(
        caller.graphql(
            "query ($id: ID!) { user(id: $id) { id name posts(first: 2) { items { id author { id } } nextCursor } } }",
            {"id": caller.user["id"]},
        )
    )
    user = data["user"]
    assert (user["id"], user["name"]) == (caller.user["id"], caller.user["name"])
    assert [item["id"] for item in user["posts"]["items"]] == ids[::-1][:2]
    assert {item["author"]["id"] for item in user["posts"]["items"]} == {caller.user["id"]}
    assert isinstance(user["posts"]["nextCursor"], str)


def test_mutations_change_what_rest_serves(caller: Caller) -> None:
    created = ok(
        caller.graphql(
            f"mutation ($input: CreatePostInput!) {{ createPost(input: $input) {{ {POST_FIELDS} }} }}",
            {"input": caller.post_input("Draft", "First words.")},
        )
    )["createPost"]
    assert (created["title"], created["body"], created["author"]["id"]) == ("Draft", "First words.", caller.user["id"])
    rest = caller.client.get(f"/api/v1/posts/{created['id']}", headers=caller.headers)
    assert rest.json() == as_rest(created)

    updated = ok(
        caller.graphql(
            f'mutation ($id: ID!) {{ updatePost(id: $id, input: {{title: "Final"}}) {{ {POST_FIELDS} }} }}',
            {"id": created["id"]},
        )
    )["updatePost"]
    assert (updated["title"], updated["body"]) == ("Final", "First words.")
    assert caller.client.get(f"/api/v1/posts/{created['id']}", headers=caller.headers).json() == as_rest(updated)

    deleted = ok(caller.graphql("mutation ($id: ID!) { deletePost(id: $id) }", {"id": created["id"]}))
    assert deleted == {"deletePost": True}
    assert caller.client.get(f"/api/v1/posts/{created['id']}", headers=caller.headers).status_code == 404


def test_an_unknown_post_is_null_with_not_found(caller: Caller) -> None:
    body = failed(caller.graphql("query ($id: ID!) { post(id: $id) { id } }", {"id": random_id()}), 200)
    assert body["data"] == {"post": None}
    assert codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["path"] == ["post"]


def test_deleting_an_unknown_post_is_not_found_and_data_null(caller: Caller) -> None:
    body = failed(caller.graphql("mutation ($id: ID!) { deletePost(id: $id) }", {"id": random_id()}), 200)
    assert body["data"] is None
    assert codes(body) == ["NOT_FOUND"]


def test_a_malformed_id_is_bad_user_input_on_id(caller: Caller) -> None:
    body = failed(caller.graphql('{ post(id: "not-a-uuid") { id } }'), 200)
    assert codes(body) == ["BAD_USER_INPUT"]
    assert [error["loc"] for error in body["errors"][0]["extensions"]["errors"]] == [["id"]]


@pytest.mark.parametrize("first", [0, 101, -1])
def test_first_outside_1_to_100_is_bad_user_input(caller: Caller, first: int) -> None:
    body = failed(caller.graphql(f"{{ posts(first: {first}) {{ items {{ id }} }} }}"), 200)
    assert body["data"] is None
    assert codes(body) == ["BAD_USER_INPUT"]
    errors = body["errors"][0]["extensions"]["errors"]
    assert [error["loc"] for error in errors] == [["first"]]
    assert all(set(error) == {"loc", "msg", "type"} for error in errors)


@pytest.mark.parametrize("first", [1, 100])
def test_first_of_1_and_100_are_served(caller: Caller, first: int) -> None:
    caller.create_post()
    items = ok(caller.graphql(f"{{ posts(first: {first}) {{ items {{ id }} }} }}"))["posts"]["items"]
    assert 1 <= len(items) <= first


def test_a_bad_cursor_is_bad_user_input_on_after(caller: Caller) -> None:
    body = failed(caller.graphql('{ posts(after: "not a cursor") { items { id } } }'), 200)
    assert codes(body) == ["BAD_USER_INPUT"]
    assert [error["loc"] for error in body["errors"][0]["extensions"]["errors"]] == [["after"]]


def test_invalid_input_is_bad_user_input_and_writes_nothing(caller: Caller) -> None:
    response = caller.graphql(
        "mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }",
        {"input": caller.post_input("x" * 201)},
    )
    body = failed(response, 200)
    assert body["data"] is None
    assert codes(body) == ["BAD_USER_INPUT"]
    assert [error["loc"] for error in body["errors"][0]["extensions"]["errors"]] == [["input", "title"]]
    posts = caller.client.get("/api/v1/posts", params={"author_id": caller.user["id"]}, headers=caller.headers).json()
    assert posts["items"] == []


# --- what auth changes ----------------------------------------------------------------


def test_without_a_valid_token_graphql_answers_the_rest_401(client: httpx.Client, tasks: frozenset[str]) -> None:
    response = post_graphql(client, "{ __typename }")
    if "auth" not in tasks:
        # Without auth, GraphQL is open as REST is.
        assert ok(response) == {"__typename": "Query"}
        return
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        answer = post_graphql(client, "{ __typename }", headers=headers)
        assert_problem(answer, 401, "Unauthorized")
        assert answer.headers["www-authenticate"].startswith("Bearer")


def test_permissions_follow_rest(client: httpx.Client, tasks: frozenset[str], caller: Caller) -> None:
    other = Caller(client, tasks)
    post = other.create_post()
    if "auth" not in tasks:
        # Anyone reads and changes anything, as through REST.
        assert ok(caller.graphql("query ($id: ID!) { user(id: $id) { id } }", {"id": other.user["id"]}))
        assert ok(caller.graphql("{ users(first: 1) { items { id } } }"))
        return
    me = ok(caller.graphql("{ me { id email role } }"))["me"]
    assert me == {"id": caller.user["id"], "email": caller.user["email"], "role": "USER"}
    # Someone else's record is not found, as REST's 404 ...
    hidden = failed(caller.graphql("query ($id: ID!) { user(id: $id) { id } }", {"id": other.user["id"]}), 200)
    assert (hidden["data"], codes(hidden)) == ({"user": None}, ["NOT_FOUND"])
    # ... listing users is for admins, as REST's 403 ...
    assert codes(failed(caller.graphql("{ users { items { id } } }"), 200)) == ["FORBIDDEN"]
    # ... everyone reads posts, only the author changes them.
    assert ok(caller.graphql("query ($id: ID!) { post(id: $id) { id } }", {"id": post["id"]}))["post"] == {
        "id": post["id"]
    }
    change = 'mutation ($id: ID!) { updatePost(id: $id, input: {title: "Mine now"}) { id } }'
    assert codes(failed(caller.graphql(change, {"id": post["id"]}), 200)) == ["FORBIDDEN"]
    assert codes(failed(caller.graphql("mutation ($id: ID!) { deletePost(id: $id) }", {"id": post["id"]}), 200)) == [
        "FORBIDDEN"
    ]
    assert other.client.get(f"/api/v1/posts/{post['id']}", headers=other.headers).json()["title"] == post["title"]


def test_update_me_changes_the_caller_as_rest_does(tasks: frozenset[str], caller: Caller) -> None:
    if "auth" not in tasks:
        body = failed(caller.graphql('mutation { updateMe(input: {name: "X"}) { id } }'), 400)
        assert set(codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}
        return
    changed = ok(caller.graphql('mutation { updateMe(input: {name: "Grace Hopper"}) { id name } }'))["updateMe"]
    assert changed == {"id": caller.user["id"], "name": "Grace Hopper"}
    rest = caller.client.get("/api/v1/users/me", headers=caller.headers).json()
    assert rest["name"] == "Grace Hopper"
    short = failed(caller.graphql('mutation { updateMe(input: {password: "short"}) { id } }'), 200)
    assert codes(short) == ["BAD_USER_INPUT"]
    assert [error["loc"] for error in short["errors"][0]["extensions"]["errors"]] == [["input", "password"]]
