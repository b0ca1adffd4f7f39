"""GraphQL (DESIGN §3 "API styles"), black-box, for renders whose api_styles hold graphql.

The same service as REST behind another door: the same records, cursors, limits and
permissions, with errors as `extensions.code`. tests/test_generated_projects.py runs this
file only against such renders, started with the limits of contract.graphql.SERVER_SETTINGS.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract.graphql import (
    GRAPHQL_RESPONSE,
    SERVER_SETTINGS,
    Caller,
    codes,
    failed,
    media_type,
    ok,
    post_graphql,
    random_id,
)
from contract.problems import assert_problem

POST_FIELDS = "id title body author { id name } createdAt updatedAt"
MAX_DEPTH = int(SERVER_SETTINGS["GRAPHQL_MAX_DEPTH"])
MAX_ALIASES = int(SERVER_SETTINGS["GRAPHQL_MAX_ALIASES"])
MAX_COST = int(SERVER_SETTINGS["GRAPHQL_MAX_COST"])


@pytest.fixture
def caller(client: httpx.Client, tasks: frozenset[str]) -> Caller:
    return Caller(client, tasks)


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


def test_a_parse_error_is_a_400_without_data(caller: Caller) -> None:
    assert codes(failed(caller.graphql("{ posts { items { id }"), 400)) == ["GRAPHQL_PARSE_FAILED"]


def test_an_unknown_field_is_a_400_validation_error(caller: Caller) -> None:
    assert set(codes(failed(caller.graphql("{ posts { items { secret } } }"), 400))) == {"GRAPHQL_VALIDATION_FAILED"}


def test_variables_that_do_not_fit_are_a_400_bad_user_input(caller: Caller) -> None:
    query = "query ($id: ID!, $first: Int) { post(id: $id) { id } posts(first: $first) { nextCursor } }"
    for variables in ({}, {"id": None}, {"id": "x", "first": "many"}):
        assert set(codes(failed(caller.graphql(query, variables), 400))) == {"BAD_USER_INPUT"}


def test_a_body_without_a_query_is_a_400_bad_request(client: httpx.Client, caller: Caller) -> None:
    for body in ({}, {"query": 42}, {"query": "{ __typename }", "variables": [1]}):
        response = client.post("/graphql", json=body, headers=caller.headers)
        assert codes(failed(response, 400)) == ["BAD_REQUEST"]


def test_another_media_type_is_a_415_problem(client: httpx.Client, caller: Caller) -> None:
    response = client.post(
        "/graphql", content="{ __typename }", headers={**caller.headers, "Content-Type": "text/plain"}
    )
    assert_problem(response, 415, "Unsupported Media Type")


def test_a_body_over_the_limit_is_a_413_problem(client: httpx.Client, caller: Caller) -> None:
    query = "{ __typename }" + " " * (1024 * 1024)
    response = client.post("/graphql", json={"query": query}, headers=caller.headers)
    assert_problem(response, 413, "Content Too Large")


def test_the_answer_media_type_follows_accept(client: httpx.Client, caller: Caller) -> None:
    plain = post_graphql(client, "{ __typename }", headers=caller.headers)
    assert media_type(plain) == "application/json"
    modern = post_graphql(client, "{ __typename }", headers={**caller.headers, "Accept": GRAPHQL_RESPONSE})
    assert media_type(modern) == GRAPHQL_RESPONSE
    assert plain.json() == modern.json() == {"data": {"__typename": "Query"}}


def test_graphql_carries_the_request_id_and_rate_limit_headers(client: httpx.Client, caller: Caller) -> None:
    response = client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={**caller.headers, "X-Request-ID": "graphql-contract-1"}
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "graphql-contract-1"
    for name in ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"):
        assert response.headers[name].isdigit()


def test_other_methods_are_a_405_problem_naming_post(client: httpx.Client, caller: Caller) -> None:
    response = client.delete("/graphql", headers=caller.headers)
    assert_problem(response, 405, "Method Not Allowed")
    assert "POST" in [method.strip() for method in response.headers["allow"].split(",")]


def _deep(levels: int) -> str:
    """A query `levels` deep, in the schema's own shape (a user's posts' authors)."""
    shapes = {
        1: "{ post(id: $id) { id } }",
        2: "{ post(id: $id) { author { id } } }",
        3: "{ user(id: $id) { posts { nextCursor } } }",
        4: "{ user(id: $id) { posts { items { id } } } }",
        5: "{ user(id: $id) { posts { items { author { name } } } } }",
    }
    if levels in shapes:
        return "query ($id: ID!) " + shapes[levels]
    assert levels == 6
    # Pages of one item, so that only the depth is over its limit, not the cost.
    return (
        "query ($id: ID!) { post(id: $id) { id } "
        "users(first: 1) { items { posts(first: 1) { items { author { name } } } } } }"
    )


def test_a_query_at_the_depth_limit_runs_and_one_deeper_is_refused(caller: Caller) -> None:
    at_limit = caller.graphql(_deep(MAX_DEPTH), {"id": caller.user["id"]})
    assert at_limit.status_code == 200, at_limit.text
    assert "QUERY_TOO_DEEP" not in str(at_limit.json())
    over = failed(caller.graphql(_deep(MAX_DEPTH + 1), {"id": caller.user["id"]}), 400)
    assert codes(over) == ["QUERY_TOO_DEEP"]
    assert over["errors"][0]["message"] == f"Query depth {MAX_DEPTH + 1} exceeds the limit of {MAX_DEPTH}."


def _aliased(count: int) -> str:
    fields = " ".join(f"a{number}: __typename" for number in range(count))
    return f"{{ {fields} }}"


def test_aliases_up_to_the_limit_run_and_one_more_is_refused(caller: Caller) -> None:
    assert ok(caller.graphql(_aliased(MAX_ALIASES))) == {f"a{number}": "Query" for number in range(MAX_ALIASES)}
    over = failed(caller.graphql(_aliased(MAX_ALIASES + 1)), 400)
    assert codes(over) == ["TOO_MANY_ALIASES"]
    assert over["errors"][0]["message"] == f"The operation uses {MAX_ALIASES + 1} aliases; the limit is {MAX_ALIASES}."


# posts(first: 100) with seven fields under it costs 1 + 100 x 7 = 701; one more root field
# (whose __typename is not counted), 702.
PAGE_AT_COST_LIMIT = "posts(first: 100) { items { id title body author { id name } } }"


def test_a_query_at_the_cost_limit_runs_and_one_more_field_is_refused(caller: Caller) -> None:
    assert MAX_COST == 701
    assert "posts" in ok(caller.graphql(f"{{ {PAGE_AT_COST_LIMIT} }}"))
    over = failed(
        caller.graphql(
            f"query ($id: ID!) {{ {PAGE_AT_COST_LIMIT} post(id: $id) {{ __typename }} }}", {"id": random_id()}
        ),
        400,
    )
    assert codes(over) == ["QUERY_TOO_COMPLEX"]
    assert over["errors"][0]["message"] == f"Query cost {MAX_COST + 1} exceeds the limit of {MAX_COST}."


def test_a_first_given_by_a_variable_costs_the_maximum(caller: Caller) -> None:
    # The variable could be 100: the cost counts 100 whatever it is, so this page is refused.
    query = 'query ($n: Int) { posts(first: $n) { items { id title body author { id name } } } post(id: "x") { id } }'
    assert codes(failed(caller.graphql(query, {"n": 1}), 400)) == ["QUERY_TOO_COMPLEX"]


def test_typename_and_introspection_are_not_counted_against_the_limits(caller: Caller) -> None:
    # With the docs on (the default), GraphiQL's introspection runs whatever its depth.
    query = "{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }"
    data = ok(caller.graphql(query))
    assert any(item["name"] == "Post" for item in data["__schema"]["types"])


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
