"""The collections, validators and indexes, as versioned steps: ``python -m <package> migrate``.

Each step runs once and is recorded in ``migrations`` (its name as ``_id``); every step
is idempotent too (create or ``collMod``, ``createIndexes`` of an existing index), so a
step interrupted before its record is simply run again.
"""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from ..core.timestamps import utc_now
from .client import Document

logger = logging.getLogger(__name__)

# Emails compare as a person reads them: the unique index ignores case.
CASE_INSENSITIVE = {"locale": "en", "strength": 2}
STRING = {"bsonType": "string"}
DATE = {"bsonType": "date"}
# A document that breaks its collection's schema is refused, whoever writes it.
VALIDATION = {"validationLevel": "strict", "validationAction": "error"}


def _text(max_length: int, min_length: int = 0) -> dict[str, Any]:
    return {"bsonType": "string", "minLength": min_length, "maxLength": max_length}


USERS_SCHEMA: dict[str, Any] = {
    "bsonType": "object",
    "required": ["_id", "email", "name", "role", "created_at", "keyset"],
    "properties": {
        "_id": STRING,
        "email": _text(254, 3),
        "name": _text(100, 1),
        "role": {"enum": ["user", "admin"]},
        "created_at": DATE,
        "keyset": STRING,
        "post_count": {"bsonType": ["int", "long"], "minimum": 0},
    },
}
POSTS_SCHEMA: dict[str, Any] = {
    "bsonType": "object",
    "required": ["_id", "author_id", "title", "body", "created_at", "updated_at", "keyset"],
    "properties": {
        "_id": STRING,
        "author_id": STRING,
        "title": _text(200, 1),
        "body": STRING,
        "created_at": DATE,
        "updated_at": DATE,
        "keyset": STRING,
    },
}
INDEXES: dict[str, list[IndexModel]] = {
    "users": [
        IndexModel(
            [("email", ASCENDING)], name="users_email", unique=True, collation=CASE_INSENSITIVE
        ),
        IndexModel([("keyset", DESCENDING)], name="users_keyset"),
    ],
    "posts": [
        IndexModel([("keyset", DESCENDING)], name="posts_keyset"),
        IndexModel([("author_id", ASCENDING), ("keyset", DESCENDING)], name="posts_author_keyset"),
    ],
}


async def validate(database: AsyncDatabase[Document], name: str, schema: dict[str, Any]) -> None:
    """Create the collection with its validator, or set the validator of an existing one."""
    validator = {"$jsonSchema": schema}
    exists = name in await database.list_collection_names(filter={"name": name})
    await database.command(
        {"collMod" if exists else "create": name, "validator": validator, **VALIDATION}
    )


async def users_and_posts(database: AsyncDatabase[Document]) -> None:
    await validate(database, "users", USERS_SCHEMA)
    await validate(database, "posts", POSTS_SCHEMA)
    for name, indexes in INDEXES.items():
        await database[name].create_indexes(indexes)


@dataclass(frozen=True)
class Step:
    name: str
    apply: Callable[[AsyncDatabase[Document]], Awaitable[None]]


STEPS: tuple[Step, ...] = (Step("0001_users_posts", users_and_posts),)


async def migrate(database: AsyncDatabase[Document]) -> list[str]:
    """Apply each step not yet recorded, in order; the names of those applied."""
    records = database["migrations"]
    applied = []
    for step in STEPS:
        if await records.find_one({"_id": step.name}) is not None:
            continue
        await step.apply(database)
        # An upsert: two migrate runs at once both apply the step (harmless) and record it once.
        await records.update_one(
            {"_id": step.name}, {"$setOnInsert": {"applied_at": utc_now()}}, upsert=True
        )
        logger.info("migrated", extra={"step": step.name})
        applied.append(step.name)
    return applied
