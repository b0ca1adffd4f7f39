"""The OpenAPI document, completed with what FastAPI cannot see in the routes.

Errors leave as RFC 9457 problem documents (``errors.py``) and every response carries
``X-Request-ID`` (``middleware.py``); FastAPI would document its own 422 body instead
and no header. Routes list the errors they answer with ``problem()``.
"""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from .errors import PROBLEM_CONTENT_TYPE
from .middleware import REQUEST_ID_HEADER

_SCHEMAS = "#/components/schemas/"
_REQUEST_ID = {
    "description": "the request's id: a valid incoming one, or a new UUID",
    "required": True,
    "schema": {"type": "string"},
}
_FASTAPI_422 = {"$ref": _SCHEMAS + "HTTPValidationError"}


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(default_factory=list, description="with 422: every bad field")


def problem(description: str, *, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A ``responses`` entry: an error answered as a problem document (with these headers)."""
    entry: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": _SCHEMAS + "Problem"}}},
    }
    if headers:
        entry["headers"] = {
            name: {"description": text, "required": True, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return entry


VALIDATION_PROBLEM = problem("Validation Error: `errors` lists every bad field")
# The ``responses`` entry of a 201: where the new resource lives.
CREATED = {
    "headers": {
        "Location": {
            "description": "the path of the new resource",
            "required": True,
            "schema": {"type": "string"},
        }
    }
}


def _complete(document: dict[str, Any]) -> dict[str, Any]:
    """Swap FastAPI's 422 for the problem, add the Problem schemas and X-Request-ID."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem_schema = Problem.model_json_schema(
        ref_template=_SCHEMAS + "{model}", mode="serialization"
    )
    schemas.update(problem_schema.pop("$defs"))
    schemas["Problem"] = problem_schema
    for path in document.get("paths", {}).values():
        for operation in path.values():
            responses: dict[str, Any] = operation["responses"]
            fastapi_422 = responses.get("422", {}).get("content", {}).get("application/json", {})
            if fastapi_422.get("schema") == _FASTAPI_422:
                responses["422"] = VALIDATION_PROBLEM
            for status, response in responses.items():
                # A copy per response: entries such as VALIDATION_PROBLEM are shared.
                responses[status] = response | {
                    "headers": {REQUEST_ID_HEADER: _REQUEST_ID, **response.get("headers", {})}
                }
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once, on first request)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _complete(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the document
