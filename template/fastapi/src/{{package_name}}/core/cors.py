"""CORS for the origins of CORS_ORIGINS, every preflight answered 204 without a body.

Starlette answers a preflight 200 with the body "OK", and a refused one 400. This service
answers every preflight 204 without a body and leaves the refusal to the browser: an
origin it does not allow gets no Access-Control-Allow-Origin.
"""

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

from .middleware import CORS_EXPOSED_HEADERS

# What the API's routes answer to; HEAD with GET.
CORS_ALLOWED_METHODS = ("GET", "HEAD", "POST", "PATCH", "DELETE")
CORS_MAX_AGE_SECONDS = 600
# What a preflight answer depends on: the methods are a fixed list, the headers mirrored.
_PREFLIGHT_VARY = "Origin, Access-Control-Request-Headers"


class AllowListCORSMiddleware(CORSMiddleware):
    """Starlette's CORS with the allow-list, any request header, and 204 preflights."""

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        super().__init__(
            app,
            allow_origins=origins,
            allow_methods=CORS_ALLOWED_METHODS,
            allow_headers=["*"],
            expose_headers=CORS_EXPOSED_HEADERS,
            max_age=CORS_MAX_AGE_SECONDS,
        )

    def preflight_response(self, request_headers: Headers) -> Response:
        """204 without a body, allowed or not: Access-Control-Allow-Origin says which."""
        answer = super().preflight_response(request_headers)
        headers = {
            name: value
            for name, value in answer.headers.items()
            if name.startswith("access-control-")
        }
        headers["Access-Control-Expose-Headers"] = ", ".join(CORS_EXPOSED_HEADERS)
        headers["Vary"] = _PREFLIGHT_VARY
        return Response(status_code=204, headers=headers)
