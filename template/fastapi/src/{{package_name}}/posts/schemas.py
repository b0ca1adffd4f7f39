"""Request and response bodies of /posts."""

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core.timestamps import Timestamp
from .repository import Post

Title = Annotated[str, Field(min_length=1, max_length=200)]
Body = Annotated[str, Field(max_length=10_000)]


class PostCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    author_id: uuid.UUID
    title: Title
    body: Body = ""


class PostUpdate(BaseModel):
    """Only the fields given change; the author of a post never does."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    body: Body | None = None

    @field_validator("title", "body")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        # Left out means "keep"; an explicit null would mean "erase", which no field allows.
        if value is None:
            msg = "may be left out but not null"
            raise ValueError(msg)
        return value


class AuthorPublic(BaseModel):
    id: uuid.UUID
    name: str


class PostPublic(BaseModel):
    id: uuid.UUID
    author_id: uuid.UUID
    title: str
    body: str
    created_at: Timestamp
    updated_at: Timestamp
    author: AuthorPublic

    @classmethod
    def of(cls, post: Post) -> "PostPublic":
        return cls(
            id=post.id,
            author_id=post.author_id,
            title=post.title,
            body=post.body,
            created_at=post.created_at,
            updated_at=post.updated_at,
            author=AuthorPublic(id=post.author.id, name=post.author.name),
        )
