"""Operations sent to POST /graphql, and what the tests read from the answers."""

from typing import Any

import httpx

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def run(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return await client.post("/graphql", json=body, headers=headers or {})


def data_of(response: httpx.Response) -> dict[str, Any]:
    """The data of an answer without errors."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def codes_of(response: httpx.Response, status: int) -> list[str]:
    """The ``extensions.code`` of each error of an answer with this status."""
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    for error in errors:
        # Nothing but the code, and REST's list of bad fields with BAD_USER_INPUT.
        assert set(error["extensions"]) <= {"code", "errors"}, error
    return [error["extensions"]["code"] for error in errors]
