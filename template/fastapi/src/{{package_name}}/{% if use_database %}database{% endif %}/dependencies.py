"""The request's database session.

A request that may write (POST, PATCH, DELETE …) runs in one transaction, committed on
success and rolled back on error. A GET or HEAD only reads: its session is in autocommit,
so each statement runs on its own, without BEGIN and COMMIT round trips.
"""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from .errors import DatabaseBusyError

READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


@asynccontextmanager
async def open_session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session; no free pooled connection within DB_POOL_TIMEOUT_SECONDS is a 503."""
    async with sessionmaker() as session:
        try:
            yield session
        except PoolTimeoutError:
            raise DatabaseBusyError from None


def read_session(request: Request) -> AbstractAsyncContextManager[AsyncSession]:
    """An autocommit session for reads: each statement runs on its own.

    It takes a pooled connection only when it runs a statement.
    """
    return open_session(request.app.state.read_sessionmaker)


@asynccontextmanager
async def read_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    """A pooled connection in autocommit, for one read outside the request's session.

    Cheaper than a session where no ORM unit of work is needed (the caller's look-up).
    """
    engine: AsyncEngine = request.app.state.read_engine
    try:
        async with engine.connect() as connection:
            yield connection
    except PoolTimeoutError:
        raise DatabaseBusyError from None


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Yield a session; commit when the route returns, roll back when it raises.

    Used with scope="function" so the commit happens before the response is sent: a
    failed commit becomes an error response, never a success for lost data.
    """
    if request.scope["method"] in READ_ONLY_METHODS:
        async with read_session(request) as session:
            yield session
        return
    async with open_session(request.app.state.sessionmaker) as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
