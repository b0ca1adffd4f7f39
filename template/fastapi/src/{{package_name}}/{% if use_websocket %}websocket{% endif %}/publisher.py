"""The posts service's events (``posts/events.py``), published on the app's bus.

Each event is published in a background task of the request: those run once the response
is sent, so after the request's transaction committed. A request that fails sends no
response of its own, and its background tasks never run: nothing is published.
"""

import uuid

from fastapi import BackgroundTasks, Request

from ..posts.events import PostEvents
from ..posts.repository import Post
from . import messages
from .bus import BusEvent, EventBus


class BusPostEvents:
    def __init__(self, request: Request, after_response: BackgroundTasks) -> None:
        self.request = request
        self.after_response = after_response

    def created(self, post: Post) -> None:
        self._publish(post.author_id, messages.post_changed("post.created", post))

    def updated(self, post: Post) -> None:
        self._publish(post.author_id, messages.post_changed("post.updated", post))

    def deleted(self, post_id: uuid.UUID, author_id: uuid.UUID) -> None:
        self._publish(author_id, messages.post_deleted(post_id))

    def _publish(self, author_id: uuid.UUID, message: str) -> None:
        bus: EventBus = self.request.app.state.post_bus
        self.after_response.add_task(bus.publish, BusEvent(author_id, message))


# app.state's post_events_of (websocket/lifespan.py), which posts/events.py's dependency calls.
def post_events_of(request: Request, after_response: BackgroundTasks) -> PostEvents:
    return BusPostEvents(request, after_response)
