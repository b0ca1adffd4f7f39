"""What the posts service tells the world about changes: created, updated, deleted.

``get_post_events`` gives a publisher that tells nobody. Where a style set the app's
``post_events_of``, the request gets that publisher instead; it sends nothing before the
request's changes have committed.
"""

import uuid
from collections.abc import Callable
from typing import Annotated, Protocol

from fastapi import BackgroundTasks, Depends, Request

from .repository import Post


class PostEvents(Protocol):
    def created(self, post: Post) -> None:
        """Announce a new post, once the request's changes have committed."""

    def updated(self, post: Post) -> None:
        """Announce a changed post, once the request's changes have committed."""

    def deleted(self, post_id: uuid.UUID, author_id: uuid.UUID) -> None:
        """Announce a removed post of ``author_id``, once the removal has committed."""


class _NoPostEvents:
    def created(self, post: Post) -> None:
        pass

    def updated(self, post: Post) -> None:
        pass

    def deleted(self, post_id: uuid.UUID, author_id: uuid.UUID) -> None:
        pass


NO_POST_EVENTS: PostEvents = _NoPostEvents()


# The request and its background tasks (which run after the response) to its publisher.
PostEventsOf = Callable[[Request, BackgroundTasks], PostEvents]


async def get_post_events(request: Request, after_response: BackgroundTasks) -> PostEvents:
    """The request's publisher: ``app.state.post_events_of``'s where a style set one, else none."""
    events_of: PostEventsOf | None = getattr(request.app.state, "post_events_of", None)
    return NO_POST_EVENTS if events_of is None else events_of(request, after_response)


PostEventsDep = Annotated[PostEvents, Depends(get_post_events)]
