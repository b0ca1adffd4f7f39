"""Many posts at once, written straight into PostgreSQL with one statement."""

import uuid

from fastapi import FastAPI
from sqlalchemy import text

_SEED = text(
    "INSERT INTO posts (id, author_id, title, body, created_at, updated_at) "
    "SELECT gen_random_uuid(), :author_id, 'Post ' || n, repeat('x', 40), "
    "now() - n * interval '1 second', now() - n * interval '1 second' "
    "FROM generate_series(1, :count) AS n"
)


async def seed_posts(app: FastAPI, author_id: str, count: int) -> None:
    async with app.state.engine.begin() as connection:
        await connection.execute(_SEED, {"author_id": uuid.UUID(author_id), "count": count})
        await connection.execute(text("ANALYZE posts"))
