"""The OpenAPI document, completed with what FastAPI cannot see in the routes.

Errors leave as RFC 9457 problem documents (``errors.py``) and every response carries
``X-Request-ID`` (``middleware.py``); FastAPI would document its own 422 body instead
and no header. Routes list the errors they answer with ``problem()``; what a middleware
adds around them (rate limit, body limit, time limit here; each task's in its own
``openapi.py``) is an ``Amendment``, applied to the operations it sees.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
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


def operation_id(route: APIRoute) -> str:
    """A route's operationId: its function's name in camelCase (``create_post`` → ``createPost``).

    Short and stable, for the method names of generated clients. Two routes of one name
    would share an id, which FastAPI warns about when it builds the document.
    """
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


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


Operation = dict[str, Any]
# Whole seconds or counts: header values are strings, of digits.
_DIGITS = {"type": "string", "pattern": "^[0-9]+$"}


def header(description: str, schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": schema}


RETRY_AFTER = {"Retry-After": header("seconds to wait before retrying", _DIGITS)}


@dataclass(frozen=True)
class Amendment:
    """What a middleware adds to the operations it sees, which their routes cannot declare.

    ``responses`` are answers it may give instead of the route; ``headers`` go on the
    operation's responses whose status is in ``statuses`` (on all of them when empty);
    ``parameters`` are the request headers it reads.
    """

    applies: Callable[[str, str, Operation], bool]
    responses: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    headers: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    statuses: frozenset[str] = frozenset()
    parameters: tuple[dict[str, Any], ...] = ()


def under(prefix: str, *methods: str) -> Callable[[str, str, Operation], bool]:
    return lambda method, path, _operation: (
        path.startswith(prefix) and (not methods or method in methods)
    )


def rate_limited(prefix: str) -> Amendment:
    """limits.RateLimitMiddleware: where the client stands on every answer, 429 past it."""
    # Not required: an unreachable counter serves requests unlimited, without them.
    return Amendment(
        under(prefix),
        responses={
            "429": problem("More than RATE_LIMIT_PER_MINUTE requests a minute from this client")
            | {"headers": RETRY_AFTER}
        },
        headers={
            "RateLimit-Limit": header("requests allowed per window", _DIGITS, required=False),
            "RateLimit-Remaining": header("requests left in this window", _DIGITS, required=False),
            "RateLimit-Reset": header("seconds until the window ends", _DIGITS, required=False),
        },
    )


def body_limited() -> Amendment:
    """limits.BodyLimitMiddleware: 413 for a body over 1 MiB."""
    return Amendment(
        lambda _method, _path, operation: "requestBody" in operation,
        responses={"413": problem("The request body is larger than 1 MiB")},
    )


def time_limited(prefix: str) -> Amendment:
    """middleware.RequestContextMiddleware: 503 for a request still running at its time limit."""
    late = problem(
        "The request did not complete within REQUEST_TIMEOUT_SECONDS, "
        "its wait for one of MAX_CONCURRENT_REQUESTS slots included"
    )
    return Amendment(under(prefix), responses={"503": late})


def _merged(existing: dict[str, Any] | None, added: dict[str, Any]) -> dict[str, Any]:
    """``added``, or both descriptions and headers where the route already answers so."""
    if existing is None:
        return added
    first, second = existing["description"], added["description"]
    before, after = existing.get("headers", {}), added.get("headers", {})
    headers = {**before, **after}
    # A header that only one of the two answers sends is not always there.
    for name in before.keys() ^ after.keys():
        headers[name] = headers[name] | {"required": False}
    return existing | {
        "description": f"{first}; or {second[:1].lower()}{second[1:]}",
        "headers": headers,
    }


def _amend(method: str, path: str, operation: Operation, amendments: Sequence[Amendment]) -> None:
    applying = [amendment for amendment in amendments if amendment.applies(method, path, operation)]
    responses: dict[str, Any] = operation["responses"]
    for amendment in applying:
        for status, response in amendment.responses.items():
            responses[status] = _merged(responses.get(status), response)
        if amendment.parameters:
            parameters: list[dict[str, Any]] = operation.setdefault("parameters", [])
            names = {(parameter["in"], parameter["name"]) for parameter in parameters}
            parameters.extend(
                parameter
                for parameter in amendment.parameters
                if (parameter["in"], parameter["name"]) not in names
            )
    # Headers last, so that they go on the answers other amendments added too.
    for amendment in applying:
        for status, response in responses.items():
            if amendment.headers and (not amendment.statuses or status in amendment.statuses):
                responses[status] = response | {
                    "headers": {**response.get("headers", {}), **amendment.headers}
                }
    ordered = sorted(responses.items())
    responses.clear()
    responses.update(ordered)


def _complete(document: dict[str, Any], amendments: Sequence[Amendment]) -> dict[str, Any]:
    """Swap FastAPI's 422 for the problem, apply the amendments, add Problem and X-Request-ID."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem_schema = Problem.model_json_schema(
        ref_template=_SCHEMAS + "{model}", mode="serialization"
    )
    schemas.update(problem_schema.pop("$defs"))
    schemas["Problem"] = problem_schema
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses: dict[str, Any] = operation["responses"]
            fastapi_422 = responses.get("422", {}).get("content", {}).get("application/json", {})
            if fastapi_422.get("schema") == _FASTAPI_422:
                responses["422"] = VALIDATION_PROBLEM
            _amend(method, path, operation, amendments)
            for status, response in responses.items():
                # A copy per response: entries such as VALIDATION_PROBLEM are shared.
                responses[status] = response | {
                    "headers": {REQUEST_ID_HEADER: _REQUEST_ID, **response.get("headers", {})}
                }
    return document


def install_openapi(app: FastAPI, amendments: Sequence[Amendment] = ()) -> None:
    """Serve the completed document at /openapi.json (built once, on first request)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _complete(generate(), amendments)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the document
