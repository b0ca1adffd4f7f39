"""What /openapi.json says of POST /graphql: GraphQL over HTTP's request and response.

The route reads its body itself (a body that is no GraphQL request is a GraphQL error,
not a 422), so its shapes are written here and added to the document's schemas.
"""

from typing import Any

from fastapi import FastAPI

_SCHEMAS = "#/components/schemas/"
_NULLABLE_OBJECT = {"anyOf": [{"type": "object"}, {"type": "null"}]}

SCHEMAS: dict[str, dict[str, Any]] = {
    "GraphQLRequest": {
        "type": "object",
        "required": ["query"],
        "properties": {
            "query": {"type": "string"},
            "variables": _NULLABLE_OBJECT,
            "operationName": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    },
    "GraphQLResponse": {
        "type": "object",
        "properties": {
            "data": _NULLABLE_OBJECT,
            "errors": {"type": "array", "items": {"$ref": _SCHEMAS + "GraphQLError"}},
        },
    },
    "GraphQLError": {
        "type": "object",
        "required": ["message", "extensions"],
        "properties": {
            "message": {"type": "string"},
            "locations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["line", "column"],
                    "properties": {"line": {"type": "integer"}, "column": {"type": "integer"}},
                },
            },
            "path": {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            },
            "extensions": {"type": "object", "description": "code, and errors with BAD_USER_INPUT"},
        },
    },
}


def _content(name: str, *media_types: str) -> dict[str, Any]:
    return {media_type: {"schema": {"$ref": _SCHEMAS + name}} for media_type in media_types}


REQUEST_BODY = {
    "requestBody": {"required": True, "content": _content("GraphQLRequest", "application/json")}
}


def response(description: str, *media_types: str) -> dict[str, Any]:
    return {"description": description, "content": _content("GraphQLResponse", *media_types)}


def add_schemas(app: FastAPI) -> None:
    """Put the shapes above into the document FastAPI generates."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        document.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the document
