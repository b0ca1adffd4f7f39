"""Reading requests: each field checked by the schemas REST uses, every problem reported at once.

A request's problems become one ``InvalidRequestError`` naming each field by its proto name,
in the order the message declares them, whatever order they were found in.
"""

import uuid
from typing import Any, TypeVar

from google.protobuf.message import Message
from pydantic import BaseModel, ValidationError

from ..core.errors import AppError
from ..core.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageRequest, decode_cursor

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


class InvalidRequestError(AppError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid_request", "Invalid request", status=422, errors=errors)


class Fields:
    """What is wrong with one request, gathered field by field."""

    def __init__(self, request: Message) -> None:
        self.order = [field.name for field in request.DESCRIPTOR.fields]
        self.problems: list[dict[str, Any]] = []

    def add(self, field: str, message: str, kind: str = "value_error") -> None:
        self.problems.append({"loc": [field], "msg": message, "type": kind})

    def an_id(self, field: str, text: str) -> uuid.UUID:
        """A UUID; the nil UUID (never an id) when it is not one, with the problem noted."""
        try:
            return uuid.UUID(text)
        except ValueError:
            self.add(field, "Input should be a valid UUID", "uuid_parsing")
            return uuid.UUID(int=0)

    def maybe_id(self, field: str, text: str) -> uuid.UUID | None:
        """Empty means none (no filter)."""
        return self.an_id(field, text) if text else None

    def model(self, model: type[ModelT], data: dict[str, Any]) -> ModelT | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False, include_input=False):
                self.add(str(error["loc"][0]), error["msg"], error["type"])
            return None

    def page(self, limit: int, cursor: str) -> PageRequest:
        """REST's page: ``limit`` 0 is the default, and REST's cursors."""
        if limit == 0:
            limit = DEFAULT_LIMIT
        elif not 1 <= limit <= MAX_LIMIT:
            self.add("limit", f"Input should be between 1 and {MAX_LIMIT}")
        if not cursor:
            return PageRequest(limit, None)
        try:
            return PageRequest(limit, decode_cursor(cursor))
        except ValueError:
            self.add("cursor", "Invalid cursor")
            return PageRequest(limit, None)

    def check(self) -> None:
        """Raise the request's problems, if it has any."""
        if self.problems:
            rank = {name: index for index, name in enumerate(self.order)}
            self.problems.sort(key=lambda problem: rank.get(problem["loc"][0], len(rank)))
            raise InvalidRequestError(self.problems)

    def checked(self, value: T | None) -> T:
        """``value`` once every field passed; the request's problems raised otherwise."""
        self.check()
        if value is None:  # only a field with a problem leaves its value unset
            raise InvalidRequestError(self.problems)
        return value
