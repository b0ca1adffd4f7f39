"""/openapi.json describes what the service really sends (core/openapi.py)."""

from typing import Any

import httpx
from fastapi import FastAPI

PROBLEM_SCHEMA = {"schema": {"$ref": "#/components/schemas/Problem"}}
_RATE_LIMIT_HEADERS = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}


def _responses(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", status, response)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
    ]


async def test_every_error_is_documented_as_a_problem(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()

    responses = _responses(document)
    assert any(status == "422" for _, status, _ in responses)
    for where, status, response in responses:
        # A route may answer a bad request in its own format: the content of its 200.
        own_format = _content(document, where, "200")
        if status.startswith("4") and not (status == "400" and response["content"] == own_format):
            assert response["content"] == {"application/problem+json": PROBLEM_SCHEMA}, where
    assert "HTTPValidationError" not in document["components"]["schemas"]
    problem = document["components"]["schemas"]["Problem"]
    assert problem["required"] == ["type", "title", "status", "detail"]
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldError"}


def _content(document: dict[str, Any], where: str, status: str) -> object:
    method, path = where.split(" ", 1)
    response = document["paths"][path][method.lower()]["responses"].get(status, {})
    return response.get("content")


async def test_every_response_documents_its_request_id(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()

    for where, status, response in _responses(document):
        assert response["headers"]["X-Request-ID"]["required"] is True, (where, status)


async def test_created_resources_document_their_location(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()

    created = [response for _, status, response in _responses(document) if status == "201"]
    assert created
    assert all("Location" in response["headers"] for response in created)


async def test_api_answers_document_the_rate_limit_and_the_body_limit(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    document = (await client.get("/openapi.json")).json()
    # /api/v1, and any other door to the API (app.py).
    api_paths = tuple(app.state.api_paths)

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            api = path.startswith(api_paths)
            assert ("429" in responses) == api, (method, path)
            assert ("413" in responses) == ("requestBody" in operation), (method, path)
            if api:
                assert "Retry-After" in responses["429"]["headers"]
                for response in responses.values():
                    assert set(response["headers"]) >= _RATE_LIMIT_HEADERS, (method, path)
