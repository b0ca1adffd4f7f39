"""A request's MongoDB transaction, for the writes that must happen together (auth's rotation).

The driver's retrying helper (``with_transaction``) runs a callback and commits when it
returns; a refresh is several steps of a service shared with PostgreSQL, so its
transaction lasts as long as the request instead, like PostgreSQL's session: committed when
the route returns (or ``commit()``), aborted when it raises. The retries are the helper's:
a write conflict on the transaction's first write is retried on a new transaction (that
write is the whole transaction so far), and a commit of unknown outcome is committed again.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import PyMongoError

from .client import Store

T = TypeVar("T")

# A conflicting transaction commits within one request: give it that long, at most.
_BACKOFF_SECONDS = (0.005, 0.01, 0.02, 0.05, 0.1)


class RequestSession:
    """The store, and one client session whose transaction starts with the first write."""

    def __init__(self, store: Store, session: AsyncClientSession) -> None:
        self.store = store
        self.session = session

    async def begin_with(self, first_write: Callable[[AsyncClientSession], Awaitable[T]]) -> T:
        """Start the transaction with ``first_write``, and return what it returns.

        Retried on a new transaction while another one holds the same document (a
        TransientTransactionError), until the request's time is up.
        """
        deadline = time.monotonic() + self.store.max_time_ms / 1000
        attempt = 0
        while True:
            await self.session.start_transaction()
            try:
                return await first_write(self.session)
            except PyMongoError as exc:
                await self.session.abort_transaction()
                transient = exc.has_error_label("TransientTransactionError")
                if not transient or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(_BACKOFF_SECONDS[min(attempt, len(_BACKOFF_SECONDS) - 1)])
            attempt += 1

    @property
    def in_transaction(self) -> bool:
        return self.session.in_transaction

    async def commit(self) -> None:
        """Commit the transaction, if one was started; an unknown outcome is committed again."""
        if not self.session.in_transaction:
            return
        while True:
            try:
                await self.session.commit_transaction()
            except PyMongoError as exc:
                if exc.has_error_label("UnknownTransactionCommitResult"):
                    continue
                raise
            return

    async def abort(self) -> None:
        if self.session.in_transaction:
            await self.session.abort_transaction()
