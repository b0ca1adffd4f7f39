"""What the MongoDB renders will ask of the server, checked against the one the tests start.

No real mongod installs on these machines: scripts/test starts SecantusDB's secantusd-py
(scripts/services.py), a MongoDB-wire-protocol server. Each test here is one guarantee the
MongoDB storage will rest on, run through PyMongo's async API; a server that loses one of
them fails here first, not deep inside a generated project's tests. The generated projects'
CI runs against the official mongo:7 image instead.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, OperationFailure, WriteError

from scripts.services import MongoServer

Document = dict[str, Any]
# Emails compare as a person reads them: the unique index ignores case.
CASE_INSENSITIVE = {"locale": "en", "strength": 2}


@asynccontextmanager
async def scratch_database(url: str) -> AsyncIterator[AsyncDatabase[Document]]:
    """A database of its own, dropped afterwards."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(url, uuidRepresentation="standard")
    name = f"fidelity_{uuid.uuid4().hex[:12]}"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()


async def users_collection(database: AsyncDatabase[Document]) -> None:
    await database.create_collection(
        "users",
        validator={
            "$jsonSchema": {
                "bsonType": "object",
                "required": ["_id", "email"],
                "properties": {"_id": {"bsonType": "string"}, "email": {"bsonType": "string", "maxLength": 254}},
            }
        },
    )
    await database.users.create_index("email", unique=True, collation=CASE_INSENSITIVE, name="users_email_ci")


def test_a_unique_case_insensitive_email_admits_one_of_many_concurrent_writers(mongodb_url: str) -> None:
    async def check() -> None:
        async with scratch_database(mongodb_url) as database:
            await users_collection(database)

            async def sign_up(spelling: str) -> bool:
                try:
                    await database.users.insert_one({"_id": str(uuid.uuid4()), "email": spelling})
                except DuplicateKeyError:
                    return False
                return True

            spellings = ["Ada@Example.com", "ada@example.com", "ADA@EXAMPLE.COM", "ada@Example.COM"] * 5
            outcomes = await asyncio.gather(*(sign_up(spelling) for spelling in spellings))
            assert outcomes.count(True) == 1
            assert await database.users.count_documents({}) == 1
            found = await database.users.find_one({"email": "aDa@example.com"}, collation=CASE_INSENSITIVE)
            assert found is not None

    asyncio.run(check())


def test_the_json_schema_validator_refuses_a_bad_document(mongodb_url: str) -> None:
    async def check() -> None:
        async with scratch_database(mongodb_url) as database:
            await users_collection(database)
            with pytest.raises(WriteError) as refused:
                await database.users.insert_one({"_id": str(uuid.uuid4()), "email": 42})
            assert refused.value.code == 121  # DocumentValidationFailure
            options = await (await database.list_collections(filter={"name": "users"})).to_list()
            assert options[0]["options"]["validator"]["$jsonSchema"]["required"] == ["_id", "email"]

    asyncio.run(check())


def test_a_transaction_commits_all_or_nothing_and_conflicting_writers_are_refused(mongodb_url: str) -> None:
    async def check() -> None:
        async with scratch_database(mongodb_url) as database:
            client = database.client
            await database.create_collection("refresh_tokens")
            await database.refresh_tokens.insert_one({"_id": "family-1", "revoked": False})

            async def rotate_then_fail() -> None:
                async with client.start_session() as session, await session.start_transaction():
                    await database.refresh_tokens.update_one(
                        {"_id": "family-1"}, {"$set": {"revoked": True}}, session=session
                    )
                    await database.refresh_tokens.insert_one({"_id": "next", "revoked": False}, session=session)
                    raise RuntimeError("half way")

            # Failed half way: neither write stays.
            with pytest.raises(RuntimeError, match="half way"):
                await rotate_then_fail()
            assert await database.refresh_tokens.find({}).to_list() == [{"_id": "family-1", "revoked": False}]
            # Two transactions rotating the same token: the second writer gets a write conflict.
            async with client.start_session() as first, client.start_session() as second:
                await first.start_transaction()
                await second.start_transaction()
                mark = {"$set": {"revoked": True}}
                await database.refresh_tokens.update_one({"_id": "family-1"}, mark, session=first)
                with pytest.raises(OperationFailure) as conflict:
                    await database.refresh_tokens.update_one({"_id": "family-1"}, mark, session=second)
                assert conflict.value.has_error_label("TransientTransactionError")
                await second.abort_transaction()
                await first.commit_transaction()
            assert (await database.refresh_tokens.find_one({"_id": "family-1"}) or {})["revoked"] is True

    asyncio.run(check())


def keyset_of(post: Document) -> str:
    """The one field a page is sorted and cut on: the instant (fixed width, so text order is time
    order), then the id for ties. One field, because SecantusDB plans the two-field form
    (``$or`` of created_at and _id bounds) as a collection scan; real MongoDB scans both well."""
    return f"{post['created_at']:%Y-%m-%dT%H:%M:%S.%fZ}|{post['_id']}"


def test_a_keyset_page_uses_its_index_and_authors_come_in_one_batch(mongodb_url: str) -> None:
    async def check() -> None:
        async with scratch_database(mongodb_url) as database:
            authors = [str(uuid.uuid4()) for _ in range(5)]
            await database.users.insert_many([{"_id": author, "email": f"{author}@example.com"} for author in authors])
            start = datetime(2026, 1, 1, tzinfo=UTC)
            posts = [
                {"_id": str(uuid.uuid4()), "author_id": authors[n % 5], "created_at": start + timedelta(seconds=n // 2)}
                for n in range(120)
            ]
            for post in posts:
                post["keyset"] = keyset_of(post)
            await database.posts.insert_many(posts)
            await database.posts.create_index([("keyset", DESCENDING)], name="posts_keyset")
            newest_first = sorted(posts, key=lambda post: (post["created_at"], post["_id"]), reverse=True)
            after = {"keyset": {"$lt": newest_first[49]["keyset"]}}
            page = await database.posts.find(after).sort("keyset", DESCENDING).limit(50).to_list()
            assert [post["_id"] for post in page] == [post["_id"] for post in newest_first[50:100]]
            plan = (await database.posts.find(after).sort("keyset", DESCENDING).limit(50).explain())["queryPlanner"]
            stages = str(plan["winningPlan"])
            assert "'indexName': 'posts_keyset'" in stages
            assert "COLLSCAN" not in stages
            assert "'stage': 'SORT'" not in stages  # the index gives the order
            wanted = sorted({post["author_id"] for post in page})
            found = await database.users.find({"_id": {"$in": wanted}}).sort("_id", ASCENDING).to_list()
            assert [user["_id"] for user in found] == wanted

    asyncio.run(check())


def test_a_ttl_index_is_recorded_with_its_expiry(mongodb_url: str) -> None:
    async def check() -> None:
        async with scratch_database(mongodb_url) as database:
            await database.refresh_tokens.create_index("expires_at", expireAfterSeconds=0, name="refresh_tokens_ttl")
            indexes = await database.refresh_tokens.index_information()
            assert indexes["refresh_tokens_ttl"]["expireAfterSeconds"] == 0

    asyncio.run(check())


def test_a_restarted_server_keeps_its_data_and_its_port() -> None:
    server = MongoServer()
    try:
        server.start()

        async def write() -> None:
            client: AsyncMongoClient[Document] = AsyncMongoClient(server.url)
            await client.kept.things.insert_one({"_id": "one"})
            await client.close()

        async def read() -> Document | None:
            client: AsyncMongoClient[Document] = AsyncMongoClient(server.url)
            try:
                return await client.kept.things.find_one({"_id": "one"})
            finally:
                await client.close()

        asyncio.run(write())
        server.stop()
        server.start()
        assert asyncio.run(read()) == {"_id": "one"}
    finally:
        server.stop()
    # Stopped by pid: nothing listens on its port any more.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0
    shutil.rmtree(server.home)
