"""The open sockets of this process: the limit, each socket's queue and filter, the fan-out.

Each socket has bounded queues of messages waiting to be written. A socket whose queue
is full when one more arrives is too slow for the events: it is closed with 1013, the
others go on, and memory stays bounded whatever the clients do.
"""

import asyncio
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeVar

from .bus import BusEvent

if TYPE_CHECKING:
    import uuid

# Close codes (RFC 6455 section 7.4, and the 4000s the application's own).
GOING_AWAY = 1001
UNSUPPORTED_DATA = 1003
INTERNAL_ERROR = 1011
TRY_AGAIN_LATER = 1013
TOKEN_EXPIRED = 4401
# The peer went without a close frame of ours (it closed, or the connection broke).
ABNORMAL = 1006

SocketT = TypeVar("SocketT", bound="Socket")


class Socket:
    """One open socket, whatever its subprotocol: how it ends, and the events it is handed."""

    def __init__(self) -> None:
        # Set once, by whatever ends the socket first; the socket's loop then closes it.
        self.closing = asyncio.Event()
        self.close_code = ABNORMAL
        self.close_reason = ""
        # The peer ended it: there is nobody left to send a close frame to.
        self.peer_gone = False

    def deliver(self, event: BusEvent) -> None:
        """Queue ``event`` if the socket wants it; never waits."""
        raise NotImplementedError

    def close(self, code: int, reason: str) -> None:
        if not self.closing.is_set():
            self.close_code, self.close_reason = code, reason
            self.closing.set()

    def lost(self, code: int) -> None:
        """The peer closed the socket with ``code``, or it broke."""
        if not self.closing.is_set():
            self.peer_gone = True
            self.close(code, "")

    def too_slow(self) -> None:
        self.close(TRY_AGAIN_LATER, "Too slow for the events; reconnect and catch up.")


class Connection(Socket):
    """A socket of the events.v1 subprotocol: one queue of messages, one author filter."""

    def __init__(self, queue_size: int) -> None:
        super().__init__()
        self.queue: asyncio.Queue[str] = asyncio.Queue(queue_size)
        # Only this author's events; None: every author's.
        self.author_id: uuid.UUID | None = None

    def deliver(self, event: BusEvent) -> None:
        if self.author_id is None or self.author_id == event.author_id:
            self.send(event.message)

    def send(self, message: str) -> None:
        """Queue ``message``; a full queue closes the socket with 1013 instead."""
        if self.closing.is_set():
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.too_slow()


class Connections:
    def __init__(self, limit: int, queue_size: int) -> None:
        self.limit = limit
        self.queue_size = queue_size
        self.open: set[Socket] = set()
        self.accepting = True
        self._all_closed = asyncio.Event()
        self._all_closed.set()

    def __len__(self) -> int:
        return len(self.open)

    @contextlib.contextmanager
    def reserve(self, socket: SocketT) -> Iterator[SocketT | None]:
        """A place for ``socket`` while the block runs; None when there is none.

        Taken before the upgrade, so concurrent handshakes never exceed the limit.
        """
        if not self.accepting or len(self.open) >= self.limit:
            yield None
            return
        self.open.add(socket)
        self._all_closed.clear()
        try:
            yield socket
        finally:
            self.open.discard(socket)
            if not self.open:
                self._all_closed.set()

    def deliver(self, event: BusEvent) -> None:
        """Queue ``event`` on every socket that wants it; never waits."""
        for socket in self.open:
            socket.deliver(event)

    async def close_all(self, code: int, reason: str, wait_seconds: float) -> None:
        """Refuse new sockets, close the open ones, and wait (a bounded time) until they are."""
        self.accepting = False
        for socket in self.open:
            socket.close(code, reason)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_closed.wait(), wait_seconds)
