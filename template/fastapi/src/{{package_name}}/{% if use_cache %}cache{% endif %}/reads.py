"""The posts cache (``posts/cache.py``) and the users cache (``users/cache.py``) over Redis.

Posts are cached as their public JSON (what GET /posts/{id} sends), tagged with their
author; users as their public fields (never the password hash). Whatever changes a post
or a user drops its entry, at once and again after the commit (``CacheAside.forget``).
"""

import uuid
from collections.abc import Awaitable, Callable

from fastapi import BackgroundTasks, Request
from pydantic import TypeAdapter

from ..posts.cache import PostCache
from ..posts.schemas import PostPublic
from ..users.cache import UserCache
from ..users.repository import User
from .aside import CacheAside, Loaded
from .dependencies import request_cache
from .keys import author_tag, post_key, user_key

_USER = TypeAdapter(User)


class _NoSuchUserError(Exception):
    """Raised by the load so that a missing user is never cached."""


class RedisPostCache:
    def __init__(self, cache: CacheAside) -> None:
        self.cache = cache

    async def read(
        self, post_id: uuid.UUID, load: Callable[[], Awaitable[PostPublic]]
    ) -> tuple[str, bool | None]:
        async def load_json() -> Loaded:
            post = await load()
            return Loaded(post.model_dump_json(), tags=[author_tag(post.author_id)])

        return await self.cache.get_or_load(post_key(post_id), load_json)

    async def forget_post(self, post_id: uuid.UUID) -> None:
        await self.cache.forget(post_key(post_id))

    async def forget_author(self, author_id: uuid.UUID) -> None:
        await self.cache.forget_tagged(author_tag(author_id))


class RedisUserCache:
    def __init__(self, cache: CacheAside) -> None:
        self.cache = cache

    async def read(
        self, user_id: uuid.UUID, load: Callable[[], Awaitable[User | None]]
    ) -> User | None:
        async def load_json() -> Loaded:
            user = await load()
            if user is None:
                raise _NoSuchUserError
            return Loaded(_USER.dump_json(user).decode())

        try:
            cached, _hit = await self.cache.get_or_load(user_key(user_id), load_json)
        except _NoSuchUserError:
            return None
        return _USER.validate_json(cached)

    async def forget(self, user_id: uuid.UUID) -> None:
        await self.cache.forget(user_key(user_id))


# app.state's post_cache_of and user_cache_of (cache/lifespan.py), which posts/cache.py's and
# users/cache.py's dependencies call: one cache-aside per request, shared by both.
def post_cache_of(request: Request, after_response: BackgroundTasks) -> PostCache:
    return RedisPostCache(request_cache(request, after_response))


def user_cache_of(request: Request, after_response: BackgroundTasks) -> UserCache:
    return RedisUserCache(request_cache(request, after_response))
