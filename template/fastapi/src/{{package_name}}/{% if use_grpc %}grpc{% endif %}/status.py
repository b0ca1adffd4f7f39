"""The one table from the service's errors to gRPC status codes, details and trailers.

An ``AppError`` carries an HTTP status for REST; here the same error gets the status code
a gRPC client expects, and what REST sends as headers (``Retry-After``) goes in trailers.
"""

from dataclasses import dataclass

import grpc

from ..core.errors import AppError

INTERNAL_DETAIL = "Internal server error"

_CODES = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    403: grpc.StatusCode.PERMISSION_DENIED,
    404: grpc.StatusCode.NOT_FOUND,
    409: grpc.StatusCode.ALREADY_EXISTS,
    422: grpc.StatusCode.INVALID_ARGUMENT,
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,
    503: grpc.StatusCode.UNAVAILABLE,
}


@dataclass(frozen=True, slots=True)
class Status:
    code: grpc.StatusCode
    details: str
    trailers: tuple[tuple[str, str], ...] = ()


def status_of(error: AppError) -> Status:
    code = _CODES.get(error.status, grpc.StatusCode.INTERNAL)
    if code is grpc.StatusCode.INTERNAL:
        return Status(code, INTERNAL_DETAIL)
    if error.errors:
        # Each field by its proto name, as REST's 422 names it last in ``loc``.
        fields = "; ".join(f"{problem['loc'][-1]}: {problem['msg']}" for problem in error.errors)
        return Status(code, f"Invalid request: {fields}")
    trailers = tuple((name.lower(), value) for name, value in error.headers.items())
    retry = tuple(trailer for trailer in trailers if trailer[0] == "retry-after")
    # REST's detail, word for word, but for the delay: a retry-after trailer, not a header.
    return Status(code, error.detail.replace("Retry-After", "retry-after"), retry)
