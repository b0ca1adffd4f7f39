"""What the posts routes need from a cache of reads.

``get_post_cache`` gives a cache that caches nothing: every read loads from storage. With
the cache task, the app's ``post_cache_of`` gives a Redis cache-aside (``cache/reads.py``).
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol

from fastapi import BackgroundTasks, Depends, Request

from .schemas import PostPublic


class PostCache(Protocol):
    async def read(
        self, post_id: uuid.UUID, load: Callable[[], Awaitable[PostPublic]]
    ) -> tuple[str, bool | None]:
        """The post as JSON text, from the cache or from ``load``, and whether it was a hit.

        The hit is None when nothing caches. A hit is the stored text itself, sent as it is.
        """

    async def forget_post(self, post_id: uuid.UUID) -> None:
        """Drop the cached post, after a change or removal."""

    async def forget_author(self, author_id: uuid.UUID) -> None:
        """Drop every cached post of the author: posts embed the author's name."""


class _NoPostCache:
    async def read(
        self, _post_id: uuid.UUID, load: Callable[[], Awaitable[PostPublic]]
    ) -> tuple[str, bool | None]:
        return (await load()).model_dump_json(), None

    async def forget_post(self, post_id: uuid.UUID) -> None:
        pass

    async def forget_author(self, author_id: uuid.UUID) -> None:
        pass


NO_POST_CACHE: PostCache = _NoPostCache()


# The request and its background tasks (which run after the response) to its cache.
PostCacheOf = Callable[[Request, BackgroundTasks], PostCache]


async def get_post_cache(request: Request, after_response: BackgroundTasks) -> PostCache:
    """The request's cache: ``app.state.post_cache_of``'s where a task set one, else none."""
    cache_of: PostCacheOf | None = getattr(request.app.state, "post_cache_of", None)
    return NO_POST_CACHE if cache_of is None else cache_of(request, after_response)


PostCacheDep = Annotated[PostCache, Depends(get_post_cache)]
