"""Step 1: ``users`` and ``posts``, their validators and indexes."""

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from ..schema import CASE_INSENSITIVE, DATE, STRING, Step, text

USERS_SCHEMA: dict[str, Any] = {
    "bsonType": "object",
    "required": ["_id", "email", "name", "role", "created_at", "keyset"],
    "properties": {
        "_id": STRING,
        "email": text(254, 3),
        "name": text(100, 1),
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
        "title": text(200, 1),
        "body": STRING,
        "created_at": DATE,
        "updated_at": DATE,
        "keyset": STRING,
    },
}

STEP = Step(
    "0001_users_posts",
    schemas={"users": USERS_SCHEMA, "posts": POSTS_SCHEMA},
    indexes={
        "users": [
            IndexModel(
                [("email", ASCENDING)], name="users_email", unique=True, collation=CASE_INSENSITIVE
            ),
            IndexModel([("keyset", DESCENDING)], name="users_keyset"),
        ],
        "posts": [
            IndexModel([("keyset", DESCENDING)], name="posts_keyset"),
            IndexModel(
                [("author_id", ASCENDING), ("keyset", DESCENDING)], name="posts_author_keyset"
            ),
        ],
    },
    owned_by_user={"posts": "author_id"},
)
