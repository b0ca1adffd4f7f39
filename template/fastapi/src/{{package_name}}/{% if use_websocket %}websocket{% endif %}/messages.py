"""The messages of the events.v1 subprotocol (``events.schema.json``): parsed and built.

Every message is one JSON text frame. A client's message is a ping or a subscribe; anything
else is ``Invalid``, answered with an ``invalid_message`` error, and the socket stays open.
"""

import json
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from ..core.timestamps import format_timestamp, utc_now
from ..posts.repository import Post
from ..posts.schemas import PostPublic

PONG = '{"type":"pong"}'


@dataclass(frozen=True, slots=True)
class Ping:
    pass


@dataclass(frozen=True, slots=True)
class Subscribe:
    # None: every author's events.
    author_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Invalid:
    """A client message that is no ping or subscribe: what is wrong with it."""

    detail: str


def _dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def parse(text: str) -> Ping | Subscribe | Invalid:
    try:
        message = json.loads(text)
    except ValueError:
        return Invalid("The message is not JSON.")
    if not isinstance(message, dict):
        return Invalid("The message must be a JSON object.")
    kind = message.get("type")
    if kind == "ping":
        return Ping() if message.keys() == {"type"} else Invalid("A ping has no other keys.")
    if kind == "subscribe":
        return _subscribe(message)
    return Invalid('type must be "ping" or "subscribe".')


def _subscribe(message: dict[str, Any]) -> Subscribe | Invalid:
    if not message.keys() <= {"type", "author_id"}:
        return Invalid("A subscribe has no other keys than type and author_id.")
    author_id = message.get("author_id")
    if author_id is None:
        return Subscribe(None)
    parsed = _uuid(author_id)
    return Invalid("author_id must be a UUID or null.") if parsed is None else Subscribe(parsed)


def _uuid(value: object) -> uuid.UUID | None:
    """A UUID in the hyphenated form the API writes (the schema's "uuid" format), or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    return parsed if str(parsed) == value.lower() else None


def subscribed(author_id: uuid.UUID | None) -> str:
    shown = None if author_id is None else str(author_id)
    return _dumps({"type": "subscribed", "author_id": shown})


def error(detail: str) -> str:
    return _dumps({"type": "error", "code": "invalid_message", "detail": detail})


def _event(kind: str, post: dict[str, Any]) -> str:
    occurred_at = format_timestamp(utc_now())
    return _dumps({"type": kind, "id": str(uuid.uuid4()), "occurred_at": occurred_at, "post": post})


def post_changed(kind: Literal["post.created", "post.updated"], post: Post) -> str:
    """The post as REST shows it (GET /api/v1/posts/{post_id}), in a new event."""
    return _event(kind, PostPublic.of(post).model_dump(mode="json"))


def post_deleted(post_id: uuid.UUID) -> str:
    return _event("post.deleted", {"id": str(post_id)})
