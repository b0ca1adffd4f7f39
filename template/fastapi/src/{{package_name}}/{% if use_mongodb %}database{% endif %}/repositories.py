"""The users and posts repositories of a request, over MongoDB (``storage.py``)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request

from ..posts.repository import PostRepository
from ..users.repository import UserRepository
from .posts import MongoPostRepository
from .users import MongoUserRepository


async def get_user_repository(request: Request) -> UserRepository:
    """Single-document writes need no transaction; a user's deletion opens its own."""
    return MongoUserRepository(request.app.state.store)


async def get_post_repository(request: Request) -> PostRepository:
    """A post's creation and deletion open their own transaction."""
    return MongoPostRepository(request.app.state.store)


@asynccontextmanager
async def read_posts(request: Request) -> AsyncIterator[PostRepository]:
    """Posts read outside any request dependency (the cached read of one post)."""
    yield MongoPostRepository(request.app.state.store)
