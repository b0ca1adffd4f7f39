"""What a request reads from the cache, named before it runs (``core/readahead.py``)."""

import uuid

from starlette.types import Scope

from ..api import API_PREFIX
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
