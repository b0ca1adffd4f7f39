"""HTTP-level optimisations, as plain ASGI: the per-request query count and ETags."""

import hashlib

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .queries import counting_queries


class QueryCountMiddleware:
    """Counts each request's statements; sends ``X-Query-Count`` when ``header`` is on."""

    def __init__(self, app: ASGIApp, *, header: bool) -> None:
        self.app = app
        self.header = header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with counting_queries() as count:
            if not self.header:
                # Counted for the tests and the slow-query log; nothing to add to the answer.
                await self.app(scope, receive, send)
                return

            async def send_with_count(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    headers["X-Query-Count"] = str(count.statements)
                await send(message)

            await self.app(scope, receive, send_with_count)


def etag_of(body: bytes) -> str:
    # Weak: the compression middleware may change the bytes, not the meaning.
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(if_none_match: str, etag: str) -> bool:
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


class ETagMiddleware:
    """An ETag on every 200 answer to a GET under ``path_prefix``; If-None-Match → 304.

    The body is buffered to hash it: API bodies are bounded (pages of at most 100 items).
    """

    def __init__(self, app: ASGIApp, *, path_prefix: str) -> None:
        self.app = app
        self.path_prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(self.path_prefix)
        ):
            await self.app(scope, receive, send)
            return
        if_none_match = next(
            (
                value.decode("latin-1")
                for name, value in scope["headers"]
                if name == b"if-none-match"
            ),
            None,
        )
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_tagged(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] == 200:  # noqa: PLR2004  (only a full 200 answer has a representation to tag)
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = etag_of(body)
            headers = MutableHeaders(scope=start)
            headers["ETag"] = etag
            if if_none_match is not None and _matches(if_none_match, etag):
                start["status"] = 304
                del headers["content-length"]
                del headers["content-type"]
                body = b""
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_tagged)
