"""Subscription.postEvents: each subscription's feed, from the bus, as PostEvents."""

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from ariadne import SubscriptionType
from graphql import GraphQLResolveInfo

from ..inputs import id_of
from .feed import Feed, Json, SubscriptionSocket


@dataclass(frozen=True, slots=True)
class SubscriptionContext:
    """The context of one subscription: its socket, and its operation id there."""

    socket: SubscriptionSocket
    operation_id: str


subscription_type = SubscriptionType()


@subscription_type.source("postEvents")
def post_events(
    _root: object, info: GraphQLResolveInfo[SubscriptionContext], author_id: str | None = None
) -> AsyncGenerator[Json, None]:
    """The subscription's events, from the moment its subscribe message is handled.

    The feed opens here, not at the first read: no change committed after the subscribe
    is missed. A bad ``authorId`` fails the subscribe before it opens.
    """
    author = None if author_id is None else id_of(author_id, "authorId")
    context = info.context
    return _events(context.socket.open_feed(context.operation_id, author))


async def _events(feed: Feed) -> AsyncGenerator[Json, None]:
    while True:
        yield await feed.get()


@subscription_type.field("postEvents")
def resolve_post_events(event: Json, _info: object, **_arguments: object) -> Json:
    """Each event as the feed made it (``authorId`` chose the feed)."""
    return event
