"""Request limits, as plain ASGI: the body size cap and the per-client rate limit."""

import logging
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import problem_response
from .readahead import keep, keys_to_read
from .windows import Window

if TYPE_CHECKING:
    from .windows import RequestWindows

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
_TOO_LARGE = f"The request body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB."


class BodyTooLargeError(HTTPException):
    """Raised while the body streams in; the error handlers answer it with a 413 problem."""

    def __init__(self) -> None:
        super().__init__(413, _TOO_LARGE)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class BodyLimitMiddleware:
    """413 for bodies over ``max_bytes``: at once from Content-Length, else while streaming.

    Bytes are counted as they arrive, so a chunked or lying client is stopped at the
    limit instead of being buffered whole.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await problem_response(413, _TOO_LARGE)(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            # Read outside a route (no error handler on the way): answer here.
            if started:
                raise
            await problem_response(413, _TOO_LARGE)(scope, receive, send)


class RateLimitMiddleware:
    """RATE_LIMIT_PER_MINUTE requests per client IP under ``path_prefix``, in fixed windows.

    The counter is ``app.state.rate_limit_windows`` (Redis with the cache task, so every
    instance shares it). When the counter's store fails with one of ``fail_open_on``, the
    request is served unlimited: an outage of the counter must not take the API down.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        path_prefix: str | tuple[str, ...],
        fail_open_on: tuple[type[Exception], ...] = (),
    ) -> None:
        self.app = app
        self.limit = limit
        self.path_prefix = path_prefix
        self.fail_open_on = fail_open_on

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        window = await count_request(scope, self.fail_open_on)
        if window is None:
            await self.app(scope, receive, send)
            return

        # Raw bytes on this path, which every API request takes.
        headers = [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(max(0, self.limit - window.hits)).encode()),
            (b"ratelimit-reset", str(window.reset_seconds).encode()),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        if window.hits > self.limit:
            await over_limit(self.limit, window)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


async def count_request(scope: Scope, fail_open_on: tuple[type[Exception], ...]) -> Window | None:
    """The client's window with this request counted; None when the counter is away.

    The values the request will read (``readahead.py``) come back in the same round trip.
    """
    windows: RequestWindows = scope["app"].state.rate_limit_windows
    client = scope.get("client")
    key = client[0] if client else "unknown"
    reads = keys_to_read(scope)
    try:
        if not reads:
            return await windows.hit(key)
        window, values = await windows.hit_reading(key, reads)
    except fail_open_on:
        logger.warning("rate limit counter unavailable; request not limited", exc_info=True)
        return None
    keep(values)
    return window


def over_limit(limit: int, window: Window, headers: dict[str, str] | None = None) -> Response:
    """The 429 problem, with the delay until the window resets."""
    detail = f"More than {limit} requests a minute; retry after the Retry-After delay."
    retry_after = {"Retry-After": str(window.reset_seconds)}
    return problem_response(429, detail, headers={**(headers or {}), **retry_after})
