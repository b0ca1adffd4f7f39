import httpx
import pytest
from fastapi import FastAPI

from tests.callers import NewAuthor, new_author
from tests.graphql.client import GRAPHQL_RESPONSE, codes_of, data_of, run
from tests.helpers import assert_problem, make_app, running, unique_client_ip


async def test_json_in_gets_json_out_unless_graphql_response_is_accepted(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    body = {"query": "{ __typename }"}
    plain = await api.post("/graphql", json=body, headers=author.headers)
    asked = await api.post(
        "/graphql", json=body, headers=author.headers | {"Accept": GRAPHQL_RESPONSE}
    )

    assert plain.headers["content-type"].split(";")[0] == "application/json"
    assert asked.headers["content-type"].split(";")[0] == GRAPHQL_RESPONSE
    assert data_of(plain) == data_of(asked) == {"__typename": "Query"}


async def test_a_body_that_is_not_json_is_a_415_problem(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    response = await api.post(
        "/graphql",
        content=b"{ __typename }",
        headers=author.headers | {"Content-Type": "application/graphql"},
    )

    assert assert_problem(response, 415)["title"] == "Unsupported Media Type"


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"variables": {}}',
        b'{"query": 1}',
        b'{"query": "{ a }", "variables": []}',
    ],
)
async def test_a_body_that_is_no_graphql_request_is_a_400_bad_request(
    api: httpx.AsyncClient, authors: NewAuthor, body: bytes
) -> None:
    author = await authors()
    response = await api.post(
        "/graphql", content=body, headers=author.headers | {"Content-Type": "application/json"}
    )

    assert codes_of(response, 400) == ["BAD_REQUEST"]
    assert "data" not in response.json()


async def test_a_document_that_does_not_parse_is_a_400_without_data(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    response = await run(api, "{ posts(first: ", headers=author.headers)

    assert codes_of(response, 400) == ["GRAPHQL_PARSE_FAILED"]
    assert "data" not in response.json()
    assert response.json()["errors"][0]["locations"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ posts { nope } }", None),
        ("{ post(id: 1.5) { id } }", None),
    ],
    ids=["unknown-field", "argument-type"],
)
async def test_a_document_that_does_not_validate_is_a_400_without_data(
    api: httpx.AsyncClient,
    authors: NewAuthor,
    query: str,
    variables: dict[str, object] | None,
) -> None:
    author = await authors()
    response = await run(api, query, variables, headers=author.headers)

    assert set(codes_of(response, 400)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "data" not in response.json()


@pytest.mark.parametrize(
    "variables",
    [{}, {"first": None}, {"first": "many"}],
    ids=["missing", "null", "wrong-type"],
)
async def test_variables_that_do_not_fit_are_a_400_bad_user_input(
    api: httpx.AsyncClient, authors: NewAuthor, variables: dict[str, object]
) -> None:
    author = await authors()
    query = "query ($first: Int!) { posts(first: $first) { nextCursor } }"
    response = await run(api, query, variables, headers=author.headers)

    assert codes_of(response, 400) == ["BAD_USER_INPUT"]
    assert "data" not in response.json()


@pytest.mark.parametrize("docs", [True, False])
async def test_suggestions_come_only_with_the_docs(
    storage: None,  # noqa: ARG001  (requested for its effect: storage is ready)
    docs: bool,  # noqa: FBT001  (a parameter of the test)
) -> None:
    app = make_app(docs_enabled=docs)
    async with running(app) as client:
        author_headers = await _headers(client, app)
        response = await run(client, "{ posts { itemz { id } } }", headers=author_headers)

    assert codes_of(response, 400) == ["GRAPHQL_VALIDATION_FAILED"]
    assert ("Did you mean" in response.json()["errors"][0]["message"]) is docs


@pytest.mark.parametrize("docs", [True, False])
async def test_introspection_comes_only_with_the_docs(
    storage: None,  # noqa: ARG001  (requested for its effect: storage is ready)
    docs: bool,  # noqa: FBT001  (a parameter of the test)
) -> None:
    app = make_app(docs_enabled=docs)
    async with running(app) as client:
        headers = await _headers(client, app)
        schema = await run(client, "{ __schema { queryType { name } } }", headers=headers)
        typename = await run(client, "{ __typename }", headers=headers)

    assert data_of(typename) == {"__typename": "Query"}
    if docs:
        assert data_of(schema) == {"__schema": {"queryType": {"name": "Query"}}}
    else:
        assert codes_of(schema, 400) == ["GRAPHQL_VALIDATION_FAILED"]
        assert schema.json()["errors"][0]["message"] == "Introspection is disabled."


async def test_graphiql_is_served_only_with_the_docs(
    storage: None,  # noqa: ARG001  (requested for its effect: storage is ready)
) -> None:
    async with running(make_app(docs_enabled=True)) as client:
        page = await client.get("/graphql")
        put = await client.put("/graphql")
    async with running(make_app(docs_enabled=False)) as client:
        refused = await client.get("/graphql")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()
    assert assert_problem(put, 405)
    assert put.headers["Allow"] == "GET, POST"
    assert assert_problem(refused, 405)
    assert refused.headers["Allow"] == "POST"


async def test_a_body_over_the_limit_is_a_413_problem(
    api: httpx.AsyncClient, authors: NewAuthor
) -> None:
    author = await authors()
    query = "{ __typename }" + " " * (1024 * 1024)
    response = await run(api, query, headers=author.headers)

    assert_problem(response, 413)


async def test_the_rate_limit_counts_graphql_requests(
    storage: None,  # noqa: ARG001  (requested for its effect: storage is ready)
) -> None:
    app = make_app(rate_limit_per_minute=3)
    async with running(app, client_ip=unique_client_ip()) as client:
        first = await run(client, "{ __typename }")
        answers = [await run(client, "{ __typename }") for _ in range(3)]

    assert first.headers["RateLimit-Limit"] == "3"
    assert first.headers["RateLimit-Remaining"] == "2"
    assert [answer.status_code for answer in answers][-1] == 429
    assert "Retry-After" in answers[-1].headers
    assert_problem(answers[-1], 429)


async def _headers(client: httpx.AsyncClient, app: FastAPI) -> dict[str, str]:
    return (await new_author(client, app)).headers
