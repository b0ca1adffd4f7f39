"""The FastAPI floor of scripts/bench.py: bare FastAPI plus only the work the HTTP contract asks for.

What a render must do on three routes, and nothing else, on the render's own venv:
- one pure-ASGI layer: a request id, the security headers, the RateLimit headers on the API,
  and the JSON access line through the render's own formatter (``<package>.core.logging``);
- ``GET /health/live``: the render's own handler;
- ``GET /api/v1/users/me`` and ``GET /api/v1/posts/{post_id}``: the bearer token looked up in
  a dict (the render's verified-token memo), then one Redis round trip (``EVALSHA``) that
  counts the client's rate-limit window and reads the caller and the post, as the render's
  read-ahead does. The caller is validated and dumped by pydantic; the post is sent as the
  stored bytes with its ETag (SHA-256 of the body) and ``X-Cache: HIT``.

No admission gate, time limit, body limit, gzip, statement counter, problem handlers or
OpenAPI security scheme. Its ratio to the bare app is what those three routes could reach on
this stack. Usage (cwd: a render, its ``src`` on PYTHONPATH, REDIS_URL set):
    python fastapi_floor.py PORT PACKAGE
"""

import hashlib
import importlib
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis.asyncio  # type: ignore[import-not-found]  # the projects' shared venv, not .venv
from fastapi import FastAPI, Request, Response  # type: ignore[import-not-found]
from pydantic import BaseModel

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Callable[[], Awaitable[Message]], Send], Awaitable[None]]

API = "/api/v1"
USER_KEY, POST_KEY, NO_KEY = "floor:user", "floor:post", "floor:none"
# Count the window (set with its expiry on the first hit), then read the two keys.
HIT_AND_READ = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], 60) end
return {hits, redis.call('TTL', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}
"""
LIMIT = 1_000_000
FIXED_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]

logger = logging.getLogger("floor")


class UserPublic(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str
    role: str
    created_at: datetime


class Floor:
    """The one middleware: request id, fixed headers, access line."""

    def __init__(self, app: ASGIApp, context: Any) -> None:  # noqa: ANN401  (the render's logging module)
        self.app = app
        self.context = context

    async def __call__(self, scope: Message, receive: Callable[[], Awaitable[Message]], send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        extra = [*FIXED_HEADERS, (b"x-request-id", request_id.encode())]
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *extra, *scope["state"].get("limit", ())]
            await send(message)

        token = self.context.request_context.set(self.context.RequestContext(request_id))
        began = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            fields = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - began) * 1000, 3),
            }
            logger.info("request", extra=fields)
            self.context.request_context.reset(token)


def build(package: str) -> Any:  # noqa: ANN401  (a FastAPI app, untyped here)
    context = importlib.import_module(f"{package}.core.logging")
    health = importlib.import_module(f"{package}.health.router")
    context.configure_logging("info")
    client = redis.asyncio.Redis.from_url(os.environ["REDIS_URL"])
    script = client.register_script(HIT_AND_READ)
    verified: dict[str, str] = {}
    user = {
        "id": str(uuid.uuid4()),
        "email": "floor@example.com",
        "display_name": "Floor",
        "role": "user",
        "created_at": datetime.now(UTC).isoformat(),
    }
    now = datetime.now(UTC).isoformat()
    # The shape and size of a seeded post with its author (about 670 bytes).
    post = json.dumps(
        {
            "id": str(uuid.uuid4()),
            "author_id": user["id"],
            "title": "Post 1",
            "body": "A paragraph of text for the benchmark. " * 10,
            "created_at": now,
            "updated_at": now,
            "author": {"id": user["id"], "name": "Bench Author"},
        }
    ).encode()

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:  # noqa: ANN401
        await client.set(USER_KEY, json.dumps(user))
        await client.set(POST_KEY, post)
        yield
        await client.aclose()

    async def hit_and_read(request: Request, key: str) -> tuple[UserPublic, bytes | None]:
        bearer = request.headers.get("authorization", "")
        verified.setdefault(bearer, user["id"])  # the render verifies a token once, then remembers it
        client_ip = request.client.host if request.client else "unknown"
        hits, ttl, caller, value = await script(keys=[f"floor:rate:{client_ip}", USER_KEY, key])
        request.scope["state"]["limit"] = [
            (b"ratelimit-limit", str(LIMIT).encode()),
            (b"ratelimit-remaining", str(max(0, LIMIT - hits)).encode()),
            (b"ratelimit-reset", str(ttl).encode()),
        ]
        return UserPublic.model_validate_json(caller), value

    async def me(request: Request) -> Response:
        caller, _ = await hit_and_read(request, NO_KEY)
        return Response(caller.model_dump_json(), media_type="application/json")

    async def read_post(request: Request, post_id: uuid.UUID) -> Response:  # noqa: ARG001  (routed, like the render's)
        _, body = await hit_and_read(request, POST_KEY)
        etag = f'W/"{hashlib.sha256(body or b"").hexdigest()[:32]}"'
        return Response(body, media_type="application/json", headers={"ETag": etag, "X-Cache": "HIT"})

    app = FastAPI(lifespan=lifespan)
    app.add_api_route("/health/live", health.live, methods=["GET"])
    app.add_api_route(f"{API}/users/me", me, methods=["GET"])
    app.add_api_route(f"{API}/posts/{{post_id}}", read_post, methods=["GET"])
    app.add_middleware(Floor, context=context)
    return app


def main() -> None:
    # Served as the bare app is (its module sits in ../bare, a directory of scripts).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bare"))
    from fastapi_app import serve  # type: ignore[import-not-found]  # noqa: PLC0415  (found once the path is set)

    serve(build(sys.argv[2]), int(sys.argv[1]))


if __name__ == "__main__":
    main()
