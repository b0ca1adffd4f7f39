"""What a request reads from the cache, named before it runs, and taken once it reads it.

``core/readahead.py`` fetches the named keys with the rate-limit count and keeps the
values on the request's context; ``take`` hands each one to the cache read that asks.
"""

import enum
import uuid

from starlette.types import Scope

from ..api import API_PREFIX
from ..core.logging import request_context
from .keys import post_key

_POST_PATH = API_PREFIX + "/posts/"


def post_read_ahead(scope: Scope) -> tuple[str, ...]:
    """``GET /posts/{id}`` reads the post's cached answer."""
    path: str = scope["path"]
    if scope.get("method") not in {"GET", "HEAD"} or not path.startswith(_POST_PATH):
        return ()
    try:
        post_id = uuid.UUID(path.removeprefix(_POST_PATH))
    except ValueError:
        return ()  # not a post's path (another route, or a malformed id: a 422)
    return (post_key(post_id),)


class NotRead(enum.Enum):
    """The key was not read ahead (or was taken already): ask Redis."""

    NOT_READ = enum.auto()


NOT_READ = NotRead.NOT_READ


def take(key: str) -> str | NotRead | None:
    """The value read ahead for ``key``, once; ``NOT_READ`` when there is none."""
    context = request_context.get()
    if context is None or context.read_ahead is None:
        return NOT_READ
    return context.read_ahead.pop(key, NOT_READ)
