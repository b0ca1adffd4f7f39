import httpx
import pytest

from tests.callers import new_author
from tests.graphql.client import codes_of, data_of, run
from tests.helpers import make_app, running

# Depth 4: posts, items, author, name.
DEEP = "{ posts(first: 1) { items { author { name } } } }"
# Cost 1 + 50 x 4 = 201: posts, then items, id, author, name under a page of 50.
COSTLY = "{ posts(first: 50) { items { id author { name } } } }"


async def _answer(query: str, **limits: int) -> httpx.Response:
    app = make_app(**limits)
    async with running(app) as client:
        author = await new_author(client, app)
        return await run(client, query, headers=author.headers)


@pytest.mark.usefixtures("storage")
@pytest.mark.parametrize(("limit", "passes"), [(4, True), (3, False)])
async def test_depth_at_the_limit_runs_and_one_over_is_refused(
    limit: int,
    passes: bool,  # noqa: FBT001  (a parameter of the test)
) -> None:
    response = await _answer(DEEP, graphql_max_depth=limit)

    if passes:
        data_of(response)
    else:
        assert codes_of(response, 400) == ["QUERY_TOO_DEEP"]
        assert response.json()["errors"][0]["message"] == "Query depth 4 exceeds the limit of 3."
        assert "data" not in response.json()


@pytest.mark.usefixtures("storage")
@pytest.mark.parametrize(("limit", "passes"), [(3, True), (2, False)])
async def test_aliases_count_each_spread_of_a_fragment(
    limit: int,
    passes: bool,  # noqa: FBT001  (a parameter of the test)
) -> None:
    query = """
        { a: posts(first: 1) { ...Titles } b: posts(first: 1) { nextCursor } }
        fragment Titles on PostPage { items { t: title } }
    """
    response = await _answer(query, graphql_max_aliases=limit)

    if passes:
        data_of(response)
    else:
        assert codes_of(response, 400) == ["TOO_MANY_ALIASES"]
        message = response.json()["errors"][0]["message"]
        assert message == "The operation uses 3 aliases; the limit is 2."


@pytest.mark.usefixtures("storage")
@pytest.mark.parametrize(("limit", "passes"), [(201, True), (200, False)])
async def test_cost_at_the_limit_runs_and_one_over_is_refused(
    limit: int,
    passes: bool,  # noqa: FBT001  (a parameter of the test)
) -> None:
    response = await _answer(COSTLY, graphql_max_cost=limit)

    if passes:
        data_of(response)
    else:
        assert codes_of(response, 400) == ["QUERY_TOO_COMPLEX"]
        assert response.json()["errors"][0]["message"] == "Query cost 201 exceeds the limit of 200."


@pytest.mark.usefixtures("storage")
async def test_page_sizes_multiply_and_a_variable_counts_the_largest() -> None:
    # 1 + 100 (items) + 100 x (1 + 20 x 1): users of a variable page size, posts of the default.
    query = "query ($n: Int) { users(first: $n) { items { posts { nextCursor } } } }"
    response = await _answer(query, graphql_max_cost=2100)

    assert codes_of(response, 400) == ["QUERY_TOO_COMPLEX"]
    assert response.json()["errors"][0]["message"] == "Query cost 2201 exceeds the limit of 2100."


@pytest.mark.usefixtures("storage")
async def test_every_limit_exceeded_is_reported_depth_first() -> None:
    query = "{ a: posts(first: 50) { items { author { name } } } }"
    response = await _answer(query, graphql_max_depth=3, graphql_max_aliases=0, graphql_max_cost=10)

    assert codes_of(response, 400) == ["QUERY_TOO_DEEP", "TOO_MANY_ALIASES", "QUERY_TOO_COMPLEX"]


@pytest.mark.usefixtures("storage")
async def test_aliases_of_typename_count_too() -> None:
    response = await _answer("{ a: __typename b: __typename }", graphql_max_aliases=1)

    assert codes_of(response, 400) == ["TOO_MANY_ALIASES"]


@pytest.mark.usefixtures("storage")
async def test_introspection_fields_count_for_no_depth_and_no_cost() -> None:
    query = "{ __typename __schema { types { fields { type { name } } } } }"
    app = make_app(graphql_max_depth=1, graphql_max_cost=1, docs_enabled=True)
    async with running(app) as client:
        author = await new_author(client, app)
        response = await run(client, query, headers=author.headers)

    assert data_of(response)["__typename"] == "Query"
