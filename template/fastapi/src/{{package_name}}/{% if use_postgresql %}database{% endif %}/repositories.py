"""The users and posts repositories of a request, over PostgreSQL (``storage.py``)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request

from ..posts.repository import PostRepository
from ..users.repository import UserRepository
from .dependencies import SessionDep, read_session
from .posts import PostgresPostRepository
from .users import PostgresUserRepository


async def get_user_repository(session: SessionDep) -> UserRepository:
    """In the request's transaction."""
    return PostgresUserRepository(session)


async def get_post_repository(session: SessionDep) -> PostRepository:
    """In the request's transaction."""
    return PostgresPostRepository(session)


@asynccontextmanager
async def read_posts(request: Request) -> AsyncIterator[PostRepository]:
    """Posts read in autocommit, outside the request's session (and its cleanup)."""
    async with read_session(request) as session:
        yield PostgresPostRepository(session)
