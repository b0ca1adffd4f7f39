"""The posts repository over MongoDB: one document per post in ``posts``.

A post stores its author's id; the author's name is read with it. A page of posts is
two round trips whatever its size: the posts, then their authors by one ``$in``.
"""

import uuid
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from ..core.pagination import Cursor
from ..posts.errors import UnknownAuthorError
from ..posts.repository import Author, Post
from .client import Document, Store
from .errors import driver_errors
from .keyset import NEWEST_FIRST, after, keyset

POST_FIELDS = {"author_id": 1, "title": 1, "body": 1, "created_at": 1, "updated_at": 1}


def to_post(document: Document, author_name: str) -> Post:
    return Post(
        id=uuid.UUID(document["_id"]),
        author=Author(id=uuid.UUID(document["author_id"]), name=author_name),
        title=document["title"],
        body=document["body"],
        created_at=document["created_at"],
        updated_at=document["updated_at"],
    )


def post_document(post: Post) -> Document:
    return {
        "_id": str(post.id),
        "author_id": str(post.author_id),
        "title": post.title,
        "body": post.body,
        "created_at": post.created_at,
        "updated_at": post.updated_at,
        "keyset": keyset(post.created_at, post.id),
    }


class MongoPostRepository:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.posts = store.database["posts"]
        self.users = store.database["users"]

    async def add(self, post: Post) -> None:
        """Insert the post and count it on its author, in one transaction.

        Writing the author's document makes a concurrent deletion of the author conflict
        with this transaction (one of them is retried), so no post outlives its author.
        """

        async def insert(session: AsyncClientSession) -> None:
            counted = await self.users.update_one(
                {"_id": str(post.author_id)}, {"$inc": {"post_count": 1}}, session=session
            )
            if counted.matched_count == 0:
                # The author was deleted between the service's look-up and this insert.
                raise UnknownAuthorError
            await self.posts.insert_one(post_document(post), session=session)

        async with driver_errors(), self.store.client.start_session() as session:
            await session.with_transaction(insert)

    async def _with_authors(self, documents: list[Document]) -> list[Post]:
        """Their authors in one round trip; a post whose author is gone is left out."""
        if not documents:
            return []
        ids = list({document["author_id"] for document in documents})
        cursor = self.users.find(
            {"_id": {"$in": ids}}, {"name": 1}, max_time_ms=self.store.max_time_ms
        )
        names = {author["_id"]: author["name"] async for author in cursor}
        return [
            to_post(document, names[document["author_id"]])
            for document in documents
            if document["author_id"] in names
        ]

    async def get(self, post_id: uuid.UUID) -> Post | None:
        async with driver_errors():
            document = await self.posts.find_one(
                {"_id": str(post_id)}, POST_FIELDS, max_time_ms=self.store.max_time_ms
            )
            found = await self._with_authors([] if document is None else [document])
        return found[0] if found else None

    async def list_after(
        self, after_key: Cursor | None, limit: int, *, author_id: uuid.UUID | None = None
    ) -> list[Post]:
        query: dict[str, Any] = after(after_key)
        if author_id is not None:
            # Answered by posts_author_keyset (author_id, keyset descending).
            query["author_id"] = str(author_id)
        async with driver_errors():
            cursor = (
                self.posts.find(query, POST_FIELDS, max_time_ms=self.store.max_time_ms)
                .sort(NEWEST_FIRST)
                .limit(limit)
            )
            return await self._with_authors([document async for document in cursor])

    async def update(self, post: Post) -> bool:
        changes = {"title": post.title, "body": post.body, "updated_at": post.updated_at}
        async with driver_errors():
            result = await self.posts.update_one({"_id": str(post.id)}, {"$set": changes})
        return result.matched_count > 0

    async def delete(self, post_id: uuid.UUID) -> uuid.UUID | None:
        """Remove the post and uncount it on its author, in one transaction."""

        async def remove(session: AsyncClientSession) -> str | None:
            document = await self.posts.find_one_and_delete(
                {"_id": str(post_id)}, {"author_id": 1}, session=session
            )
            if document is None:
                return None
            author_id: str = document["author_id"]
            await self.users.update_one(
                {"_id": author_id}, {"$inc": {"post_count": -1}}, session=session
            )
            return author_id

        async with driver_errors(), self.store.client.start_session() as session:
            author_id: str | None = await session.with_transaction(remove)
        return None if author_id is None else uuid.UUID(author_id)
