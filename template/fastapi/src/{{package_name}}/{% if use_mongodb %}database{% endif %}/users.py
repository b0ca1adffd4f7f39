"""The users repository over MongoDB: one document per user in ``users``."""

import uuid

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from ..core.pagination import Cursor
from ..users.errors import EmailTakenError
from ..users.repository import Role, User
from .client import Document, Store
from .errors import driver_errors
from .keyset import NEWEST_FIRST, after, keyset
from .migrations import OWNED_BY_USER

# What a User needs of a document: never more is sent over the wire.
USER_FIELDS = {"email": 1, "name": 1, "role": 1, "created_at": 1}


def to_user(document: Document) -> User:
    role: Role = "admin" if document["role"] == "admin" else "user"
    return User(
        id=uuid.UUID(document["_id"]),
        email=document["email"],
        name=document["name"],
        role=role,
        created_at=document["created_at"],
    )


def user_document(user: User) -> Document:
    return {
        "_id": str(user.id),
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "created_at": user.created_at,
        "keyset": keyset(user.created_at, user.id),
        # Raised by each new post in the post's transaction: a post and the deletion of
        # its author write the same document, so one of the two conflicts.
        "post_count": 0,
    }


async def read_user(store: Store, user_id: uuid.UUID) -> User | None:
    """One user by id, in one round trip."""
    async with driver_errors():
        document = await store.database["users"].find_one(
            {"_id": str(user_id)}, USER_FIELDS, max_time_ms=store.max_time_ms
        )
    return None if document is None else to_user(document)


class MongoUserRepository:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.users = store.database["users"]

    async def add(self, user: User) -> None:
        # The unique, case-insensitive users_email index decides between concurrent sign-ups.
        async with driver_errors():
            try:
                await self.users.insert_one(user_document(user))
            except DuplicateKeyError as exc:
                if "email" in (exc.details or {}).get("keyPattern", {}):
                    raise EmailTakenError from None
                raise

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await read_user(self.store, user_id)

    async def list_after(self, after_key: Cursor | None, limit: int) -> list[User]:
        async with driver_errors():
            cursor = (
                self.users.find(after(after_key), USER_FIELDS, max_time_ms=self.store.max_time_ms)
                .sort(NEWEST_FIRST)
                .limit(limit)
            )
            return [to_user(document) async for document in cursor]

    async def delete(self, user_id: uuid.UUID) -> bool:
        """The user and every document of theirs, in one transaction.

        Their posts, and whatever a task's migrate step says a user owns (``OWNED_BY_USER``:
        auth's refresh tokens).
        """

        async def delete_all(session: AsyncClientSession) -> bool:
            result = await self.users.delete_one({"_id": str(user_id)}, session=session)
            if result.deleted_count == 0:
                return False
            for collection, field in OWNED_BY_USER.items():
                await self.store.database[collection].delete_many(
                    {field: str(user_id)}, session=session
                )
            return True

        async with driver_errors(), self.store.client.start_session() as session:
            deleted: bool = await session.with_transaction(delete_all)
        return deleted
