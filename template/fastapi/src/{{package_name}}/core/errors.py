"""The one application error, and the handlers that turn every error into RFC 9457 JSON.

Domain code raises ``AppError``; routes never build HTTP error responses. FastAPI's own
errors (unknown route, wrong method, invalid input) get the same problem shape here, and
``middleware.py`` answers anything unhandled with a 500 problem.
"""

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
# RFC 9110 names; Python's HTTPStatus still uses the older ones before 3.13.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


class AppError(Exception):
    """An error the client can act on: a stable ``code`` for programs, ``detail`` for people."""

    # Set by errors an operator should hear about (a dependency away): the handler logs
    # one line per request, with the code and the cause.
    log_level: int | None = None

    def __init__(  # noqa: PLR0913  (beyond code and detail, every argument is a keyword)
        self,
        code: str,
        detail: str,
        *,
        status: int = 400,
        type_uri: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status
        self.type_uri = type_uri
        self.headers = dict(headers or {})
        # For a 422 found by domain code (an unknown referenced id): the same
        # ``errors`` list, {loc, msg, type}, as FastAPI's own validation errors.
        self.errors = [dict(error) for error in errors]


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_CONTENT_TYPE


def title_for(status: int) -> str:
    return _TITLES.get(status) or HTTPStatus(status).phrase


def problem_response(
    status: int,
    detail: str,
    *,
    type_uri: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> ProblemResponse:
    body = {"type": type_uri, "title": title_for(status), "status": status, "detail": detail}
    return ProblemResponse(body | dict(extensions or {}), status_code=status, headers=headers)


async def _app_error(_request: Request, exc: Exception) -> ProblemResponse:
    if not isinstance(exc, AppError):
        raise exc
    if exc.log_level is not None:
        cause = exc.__cause__ or exc.__context__
        logger.log(exc.log_level, exc.detail, extra={"code": exc.code, "cause": repr(cause)})
    extensions = {"errors": exc.errors} if exc.errors else None
    return problem_response(
        exc.status, exc.detail, type_uri=exc.type_uri, headers=exc.headers, extensions=extensions
    )


async def _http_error(request: Request, exc: Exception) -> ProblemResponse:
    if not isinstance(exc, HTTPException):
        raise exc
    status = exc.status_code
    if status == HTTPStatus.BAD_REQUEST and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers 400 to a JSON body that is not UTF-8. JSON must be (RFC 8259
        # section 8.1), so it is malformed JSON like any other: the same 422.
        body_error = {"loc": ["body"], "msg": "JSON decode error", "type": "json_invalid"}
        return _invalid_request([body_error])
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        allow = _allowed_methods(request)
        detail = f"{request.method} is not allowed here; use {allow}."
        return problem_response(status, detail, headers={**(exc.headers or {}), "Allow": allow})
    # Starlette's default detail repeats the title; say something more useful instead.
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if status == HTTPStatus.NOT_FOUND and detail in {"", "Not Found"}:
        detail = f"No resource at {request.method} {request.url.path}."
    elif not detail or detail == HTTPStatus(status).phrase:
        detail = title_for(status)
    return problem_response(status, detail, headers=exc.headers)


# One fixed order, so the Allow header of a path does not depend on how its routes were
# registered. HEAD is left out: it goes with GET.
_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path.

    Starlette's own 405 names only the first route whose path matched, and POST /users
    and GET /users are two routes. Runs only on a 405, so asking each route is cheap enough.
    """
    routes = request.app.router.routes

    def serves(method: str) -> bool:
        scope = {**request.scope, "method": method}
        return any(route.matches(scope)[0] is Match.FULL for route in routes)

    return ", ".join(method for method in _METHOD_ORDER if serves(method))


async def _validation_error(_request: Request, exc: Exception) -> ProblemResponse:
    if not isinstance(exc, RequestValidationError):
        raise exc
    # Only where, what and why: the rejected input is never echoed back.
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return _invalid_request(errors)


def _invalid_request(errors: list[dict[str, Any]]) -> ProblemResponse:
    return problem_response(
        422, "The request is invalid; see errors.", extensions={"errors": errors}
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the central handlers: the only place errors become HTTP responses.

    Each handler is registered for one exception class, which it narrows to.
    """
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
