"""The request boundary, as plain ASGI: request id, security headers, time limit, access log.

One middleware does all four so each request costs one wrapper, and so the 500 and 503
responses written here get the same headers and log line as every other response.
"""

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .deadlines import Deadlines
from .errors import problem_response
from .logging import RequestContext, request_context

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# The response headers a browser script of an allowed origin may read (CORS hides the rest).
CORS_EXPOSED_HEADERS = (
    REQUEST_ID_HEADER,
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
    "Location",
    "ETag",
    "X-Cache",
)
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def incoming_request_id(scope: Scope) -> str | None:
    """The client's X-Request-ID when it is safe to echo and to log, else None."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if _VALID_REQUEST_ID.fullmatch(candidate) else None
    return None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, timeout_seconds: float, hsts: bool) -> None:
        self.app = app
        self.timeout_seconds = timeout_seconds
        self.deadlines = Deadlines(timeout_seconds)
        self.fixed_headers = (*_SECURITY_HEADERS, _HSTS) if hsts else _SECURITY_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = incoming_request_id(scope) or str(uuid.uuid4())
        extra_headers = [*self.fixed_headers, (b"x-request-id", request_id.encode())]
        status = 0
        finished = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, finished
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *extra_headers]
            await send(message)
            finished = message["type"] == "http.response.body" and not message.get("more_body")

        context = RequestContext(request_id)
        token = request_context.set(context)
        began = time.perf_counter()
        deadline = self.deadlines.start()
        try:
            await deadline.run(self.app(scope, receive, send_with_headers))
        except Exception as exc:
            if status:
                # The response is already on its way: the server can only close it.
                logger.exception("error after the response started")
                raise
            if isinstance(exc, TimeoutError) and deadline.passed:
                logger.error("request timed out", extra={"timeout_s": self.timeout_seconds})  # noqa: TRY400  (a timeout's traceback says nothing)
                detail = f"The request did not complete within {self.timeout_seconds:g} seconds."
                response = problem_response(503, detail)
            else:
                # The traceback goes to the log only; the client gets the request id to quote.
                logger.exception("unhandled error")
                detail = "An unexpected error occurred; quote the X-Request-ID when reporting it."
                response = problem_response(500, detail)
            await response(scope, receive, send_with_headers)
        finally:
            # The access line's fields, named as the README lists them.
            fields: dict[str, object] = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - began) * 1000, 3),
            }
            if context.user_id is not None:
                fields["user_id"] = context.user_id
            if not finished:
                fields["aborted"] = True
            logger.info("request", extra=fields)
            request_context.reset(token)
