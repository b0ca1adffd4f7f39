"""GraphQL errors: each with ``extensions.code``, worded as REST words the same case.

The services raise the same ``AppError`` for both doors; here its HTTP status becomes a
code. An outage (a 503) is not an error of one field: the whole request answers REST's
503 problem. Anything unexpected is logged with the request id, like a REST 500, and
told to the client as ``Internal server error`` and nothing more.
"""

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

from ..core.errors import AppError

logger = logging.getLogger(__name__)

# Ariadne logs every error it formats; this module logs the unexpected ones, once. A
# logger of its own, outside the hierarchy, that lets nothing below CRITICAL through.
ENGINE_LOG = logging.Logger(f"{__name__}.engine", logging.CRITICAL)  # noqa: LOG001  (see above)

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL = "INTERNAL_SERVER_ERROR"
INTERNAL_MESSAGE = "Internal server error"
INVALID_DETAIL = "The request is invalid; see errors."
# The code of each status an AppError may carry.
_CODES = {
    400: BAD_USER_INPUT,
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    422: BAD_USER_INPUT,
    429: "RATE_LIMITED",
}
_UNAVAILABLE = 503
_SNAKE = re.compile(r"_([a-z])")


class InvalidInputError(AppError):
    """A 422 found in a field's arguments; ``loc`` names the argument path as written."""

    def __init__(self, errors: Sequence[Mapping[str, Any]]) -> None:
        super().__init__("invalid_input", INVALID_DETAIL, status=422, errors=errors)


def graphql_name(name: str | int) -> str | int:
    """A field of a Python model as the schema spells it (``author_id`` → ``authorId``)."""
    return _SNAKE.sub(lambda match: match.group(1).upper(), name) if isinstance(name, str) else name


def _argument_errors(error: AppError) -> list[dict[str, Any]]:
    if isinstance(error, InvalidInputError):
        return error.errors
    # A service's 422 names REST's body: here it is the ``input`` argument.
    return [
        entry
        | {
            "loc": [
                "input" if index == 0 and part == "body" else graphql_name(part)
                for index, part in enumerate(entry["loc"])
            ]
        }
        for entry in error.errors
    ]


class ErrorFormatter:
    """Formats one request's errors, and remembers an outage that must fail the request."""

    def __init__(self) -> None:
        self.outage: AppError | None = None

    def __call__(self, error: GraphQLError, _debug: bool = False) -> dict[str, Any]:  # noqa: FBT001, FBT002  (Ariadne's signature)
        formatted: dict[str, Any] = {"message": error.message}
        if error.locations:
            formatted["locations"] = [
                {"line": location.line, "column": location.column} for location in error.locations
            ]
        if error.path is not None:
            formatted["path"] = list(error.path)
        original = error.original_error
        extensions: dict[str, Any]
        if isinstance(original, AppError):
            if original.status >= _UNAVAILABLE:
                self.outage = self.outage or original
            code = _CODES.get(original.status, INTERNAL)
            formatted["message"] = original.detail
            extensions = {"code": code}
            if code == BAD_USER_INPUT and original.errors:
                extensions["errors"] = _argument_errors(original)
        elif not isinstance(original, GraphQLError | None) or (
            error.path is not None and "code" not in (error.extensions or {})
        ):
            # A bug, or a result that broke the schema: logged, never described.
            logger.error("unhandled error", exc_info=original or error)
            formatted["message"] = INTERNAL_MESSAGE
            extensions = {"code": INTERNAL}
        elif isinstance(error, GraphQLSyntaxError):
            extensions = {"code": PARSE_FAILED}
        else:
            # The validation rules (the limits name their own code), or variables that
            # do not fit their types, or an operation name that names none.
            extensions = {"code": (error.extensions or {}).get("code", VALIDATION_FAILED)}
        formatted["extensions"] = extensions
        return formatted
