"""What the posts domain needs from storage, whatever the storage is.

Every post read from a repository carries its author's id and name, fetched with it:
a page of posts costs one round trip, never one more per author.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ..core.pagination import Cursor


@dataclass(frozen=True, slots=True)
class Author:
    id: uuid.UUID
    name: str


@dataclass(frozen=True, slots=True)
class Post:
    id: uuid.UUID
    author: Author
    title: str
    body: str
    created_at: datetime
    updated_at: datetime

    @property
    def author_id(self) -> uuid.UUID:
        return self.author.id


class PostRepository(Protocol):
    async def add(self, post: Post) -> None:
        """Store a new post; raises UnknownAuthorError when its author does not exist."""

    async def get(self, post_id: uuid.UUID) -> Post | None: ...

    async def list_after(
        self, after: Cursor | None, limit: int, *, author_id: uuid.UUID | None = None
    ) -> list[Post]:
        """Up to ``limit`` posts newest first, strictly after ``after``, of one author if given."""

    async def update(self, post: Post) -> bool:
        """Store the new title, body and updated_at; False when the post is gone."""

    async def delete(self, post_id: uuid.UUID) -> uuid.UUID | None:
        """Remove the post; its author's id, or None when there was no such post."""
