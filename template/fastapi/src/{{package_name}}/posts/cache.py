"""What the posts routes need from a cache of reads.

``get_post_cache`` gives a cache that caches nothing: every read loads from storage. With
the cache task, the app replaces it with a Redis cache-aside (``cache/reads.py``).
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol

from fastapi import Depends

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


async def get_post_cache() -> PostCache:
    return NO_POST_CACHE


PostCacheDep = Annotated[PostCache, Depends(get_post_cache)]
