"""Post events of a mutation: held until its step of the transaction has succeeded."""

import uuid
from functools import partial
from typing import TYPE_CHECKING

from ..posts.events import PostEvents
from ..posts.repository import Post

if TYPE_CHECKING:
    from collections.abc import Callable


class HeldPostEvents:
    """The events of one step of a request that may still be undone.

    They reach ``events`` on ``release``, when the step succeeded; a step that failed
    drops them with its writes.
    """

    def __init__(self, events: PostEvents) -> None:
        self.events = events
        self._held: list[Callable[[], None]] = []

    def created(self, post: Post) -> None:
        self._held.append(partial(self.events.created, post))

    def updated(self, post: Post) -> None:
        self._held.append(partial(self.events.updated, post))

    def deleted(self, post_id: uuid.UUID, author_id: uuid.UUID) -> None:
        self._held.append(partial(self.events.deleted, post_id, author_id))

    def release(self) -> None:
        for announce in self._held:
            announce()
        self._held.clear()
