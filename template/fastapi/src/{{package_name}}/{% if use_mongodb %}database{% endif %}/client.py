"""The MongoDB client (one connection pool per process) and the service's database.

Both are created in the app's lifespan, never at import time.
"""

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError
from pymongo.monitoring import CommandListener

from ..core.retry import retry
from .config import DatabaseSettings

Document = dict[str, Any]

IDLE_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Store:
    """What the repositories use: the database, its client, and how long a query may run."""

    client: AsyncMongoClient[Document]
    database: AsyncDatabase[Document]
    # maxTimeMS of each read: MongoDB stops a query running past it.
    max_time_ms: int


def create_client(
    settings: DatabaseSettings,
    *,
    timeout_seconds: float,
    listeners: Sequence[CommandListener] = (),
) -> AsyncMongoClient[Document]:
    """A pool of at most DB_POOL_SIZE connections per server; connects on first use.

    ``listeners`` see every command sent (command monitoring: counting round trips).
    """
    # Within half the request's time, so that a request learns MongoDB is away (a 503 it
    # can act on) before its own timeout ends it.
    connect_ms = int(min(CONNECT_TIMEOUT_SECONDS, timeout_seconds / 2) * 1000)
    return AsyncMongoClient(
        settings.database_url,
        maxPoolSize=settings.db_pool_size,
        # Waiting longer for a free connection raises, and the request is answered 503
        # (DatabaseBusyError) instead of queueing without bound.
        waitQueueTimeoutMS=int(settings.db_pool_timeout_seconds * 1000),
        connectTimeoutMS=connect_ms,
        # MongoDB away: known within this, not after the driver's default 30 s.
        serverSelectionTimeoutMS=connect_ms,
        # No reply within the request's own timeout: the connection is given up.
        socketTimeoutMS=int(timeout_seconds * 1000),
        # BSON dates read back as aware datetimes in UTC, as the services write them.
        tz_aware=True,
        tzinfo=UTC,
        # Recycle idle connections, so none outlives a failover or a server-side limit.
        maxIdleTimeMS=IDLE_TIMEOUT_MS,
        # Readers see only what a majority has written, and writes wait for it.
        readConcernLevel="majority",
        w="majority",
        retryWrites=True,
        retryReads=True,
        event_listeners=list(listeners),
    )


def create_store(
    settings: DatabaseSettings,
    *,
    timeout_seconds: float,
    listeners: Sequence[CommandListener] = (),
) -> Store:
    client = create_client(settings, timeout_seconds=timeout_seconds, listeners=listeners)
    return Store(client, client[settings.database_name], int(timeout_seconds * 1000))


async def check_database(store: Store) -> None:
    """Round-trip one ping; raises when MongoDB cannot be reached."""
    await store.database.command("ping")


@asynccontextmanager
async def open_database(
    settings: DatabaseSettings,
    *,
    timeout_seconds: float,
    listeners: Sequence[CommandListener] = (),
) -> AsyncIterator[Store]:
    """Create the client, wait for MongoDB (with retries), and close the pool on exit."""
    store = create_store(settings, timeout_seconds=timeout_seconds, listeners=listeners)
    try:
        await retry(lambda: check_database(store), what="MongoDB", retry_on=(PyMongoError,))
        yield store
    finally:
        await close(store)


async def close(store: Store) -> None:
    """Close every pooled connection, and let the event loop finish closing their sockets.

    A transport closes its socket in a callback on the next turn of the loop; a loop that
    ends right after the pool (a test's, a command's) would leave the sockets unclosed.
    """
    await store.client.close()
    await asyncio.sleep(0)
