"""GraphQL over HTTP (DESIGN §3 "API styles"), black-box: what the endpoint answers before an
operation runs — request errors, media types, the shared HTTP limits and headers — and the
depth, alias and cost limits, at and one over the limits of contract.graphql.SERVER_SETTINGS.
"""

from __future__ import annotations

import httpx

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

MAX_DEPTH = int(SERVER_SETTINGS["GRAPHQL_MAX_DEPTH"])
MAX_ALIASES = int(SERVER_SETTINGS["GRAPHQL_MAX_ALIASES"])
MAX_COST = int(SERVER_SETTINGS["GRAPHQL_MAX_COST"])


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
