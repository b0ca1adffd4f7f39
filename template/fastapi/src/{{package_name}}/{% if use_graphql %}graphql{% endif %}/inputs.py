"""Arguments checked by the same models and limits as REST's query strings and bodies.

A bad argument is BAD_USER_INPUT with REST's 422 list, ``loc`` naming the argument path
as the operation wrote it (``["first"]``, ``["input", "title"]``).
"""

import uuid
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ..core.pagination import MAX_LIMIT, PageRequest, decode_cursor
from .errors import InvalidInputError, graphql_name

ModelT = TypeVar("ModelT", bound=BaseModel)

_LIMIT: TypeAdapter[int] = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_LIMIT)])
_ID: TypeAdapter[uuid.UUID] = TypeAdapter(uuid.UUID)


def _errors(error: ValidationError, *prefix: str) -> list[dict[str, Any]]:
    # Only where, what and why: the rejected input is never echoed back.
    return [
        {
            "loc": [*prefix, *(graphql_name(part) for part in problem["loc"])],
            "msg": problem["msg"],
            "type": problem["type"],
        }
        for problem in error.errors(include_url=False, include_input=False)
    ]


def page_of(first: int, after: str | None) -> PageRequest:
    """REST's ``limit`` and ``cursor``; both are checked, so both errors are told at once."""
    errors: list[dict[str, Any]] = []
    try:
        limit = _LIMIT.validate_python(first)
    except ValidationError as exc:
        errors += _errors(exc, "first")
    cursor = None
    if after is not None:
        try:
            cursor = decode_cursor(after)
        except ValueError:
            errors.append({"loc": ["after"], "msg": "Invalid cursor", "type": "value_error"})
    if errors:
        raise InvalidInputError(errors)
    return PageRequest(limit, cursor)


def id_of(value: str, name: str = "id") -> uuid.UUID:
    """An ID argument: the REST path's UUID."""
    try:
        return _ID.validate_python(value)
    except ValidationError as exc:
        raise InvalidInputError(_errors(exc, name)) from None


def input_of(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """The ``input`` argument, read by the model of REST's body."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(_errors(exc, "input")) from None
