"""What reading the caller and changing users need from a cache of user records.

``get_user_cache`` and ``caller_cache`` give a cache that caches nothing: every read
loads from storage. With the cache task, the app's ``user_cache_of`` and ``caller_cache`` give
the Redis cache of user records (``cache/reads.py``).
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol

from fastapi import BackgroundTasks, Depends, Request
from starlette.requests import HTTPConnection

from .repository import User


class UserCache(Protocol):
    async def read(
        self, user_id: uuid.UUID, load: Callable[[], Awaitable[User | None]]
    ) -> User | None:
        """The user, from the cache or from ``load``; a user ``load`` misses is never cached."""

    async def forget(self, user_id: uuid.UUID) -> None:
        """Drop the cached user, whenever their record changes or goes."""


class _NoUserCache:
    async def read(
        self, _user_id: uuid.UUID, load: Callable[[], Awaitable[User | None]]
    ) -> User | None:
        return await load()

    async def forget(self, user_id: uuid.UUID) -> None:
        pass


NO_USER_CACHE: UserCache = _NoUserCache()


# The request and its background tasks (which run after the response) to its cache.
UserCacheOf = Callable[[Request, BackgroundTasks], UserCache]


async def get_user_cache(request: Request, after_response: BackgroundTasks) -> UserCache:
    """The request's cache: ``app.state.user_cache_of``'s where a task set one, else none."""
    cache_of: UserCacheOf | None = getattr(request.app.state, "user_cache_of", None)
    return NO_USER_CACHE if cache_of is None else cache_of(request, after_response)


UserCacheDep = Annotated[UserCache, Depends(get_user_cache)]


def caller_cache(connection: HTTPConnection) -> UserCache:
    """The cache that reads the caller: a plain function, for code on every request.

    Reads only, so one for the whole app (``app.state.caller_cache``, set by the cache task).
    """
    cache: UserCache = getattr(connection.app.state, "caller_cache", NO_USER_CACHE)
    return cache
