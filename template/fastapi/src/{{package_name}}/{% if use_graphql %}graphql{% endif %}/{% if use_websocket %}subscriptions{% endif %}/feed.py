"""The sockets of GraphQL subscriptions, and each subscription's bounded feed of events.

A feed keeps the events waiting to be sent to one subscription. One more than
WS_QUEUE_SIZE closes the socket with 1013: memory stays bounded whatever the client does.
"""

import asyncio
import json
import uuid
from functools import lru_cache
from typing import Any

from ...websocket.bus import BusEvent
from ...websocket.connections import Socket

Json = dict[str, Any]

_KINDS = {"post.created": "CREATED", "post.updated": "UPDATED", "post.deleted": "DELETED"}


@lru_cache(maxsize=64)
def event_json(message: str) -> Json:
    """The ``PostEvent`` of an events.v1 message, its fields in snake case as resolvers read them.

    Parsed once per event, whatever the number of feeds it reaches; never changed after.
    """
    data = json.loads(message)
    post = data["post"]
    return {
        "id": data["id"],
        "kind": _KINDS[data["type"]],
        "occurred_at": data["occurred_at"],
        "post_id": post["id"],
        "post": None if data["type"] == "post.deleted" else post,
    }


class Feed:
    def __init__(self, socket: Socket, author_id: uuid.UUID | None, size: int) -> None:
        self.socket = socket
        # Only this author's events; None: every author's.
        self.author_id = author_id
        self.queue: asyncio.Queue[str] = asyncio.Queue(size)

    def put(self, event: BusEvent) -> None:
        if self.author_id is not None and self.author_id != event.author_id:
            return
        try:
            self.queue.put_nowait(event.message)
        except asyncio.QueueFull:
            self.socket.too_slow()

    async def get(self) -> Json:
        return event_json(await self.queue.get())


class SubscriptionSocket(Socket):
    """A graphql-transport-ws socket: a feed per open subscription, by operation id."""

    def __init__(self, queue_size: int) -> None:
        super().__init__()
        self.queue_size = queue_size
        self.feeds: dict[str, Feed] = {}

    def deliver(self, event: BusEvent) -> None:
        for feed in self.feeds.values():
            feed.put(event)

    def open_feed(self, operation_id: str, author_id: uuid.UUID | None) -> Feed:
        """The operation's feed, taking events from now on until ``close_feed``."""
        feed = Feed(self, author_id, self.queue_size)
        self.feeds[operation_id] = feed
        return feed

    def close_feed(self, operation_id: str) -> None:
        self.feeds.pop(operation_id, None)
