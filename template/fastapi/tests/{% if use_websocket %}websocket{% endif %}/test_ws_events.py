"""Post events: sent after each write commits, as REST shows the post, to sockets."""

import uuid
from typing import Any

from websockets.asyncio.client import ClientConnection

from tests.callers import Author, new_author, write_post
from tests.websocket.live import Live, receive, send


async def _changed(live: Live, author: Author, post_id: str, **fields: object) -> dict[str, Any]:
    response = await live.http.patch(
        f"/api/v1/posts/{post_id}", json=fields, headers=author.headers
    )
    assert response.status_code == 200, response.text
    changed: dict[str, Any] = response.json()
    return changed


async def _messages_until_pong(socket: ClientConnection) -> list[dict[str, Any]]:
    """What the server sent before answering a ping: all it had queued by then."""
    await send(socket, {"type": "ping"})
    messages = []
    while (message := await receive(socket)) != {"type": "pong"}:
        messages.append(message)
    return messages


async def test_each_write_reaches_an_open_socket_as_rest_serves_it(live: Live) -> None:
    author = await new_author(live.http, live.app)
    async with live.socket(headers=author.headers) as socket:
        post = await write_post(live.http, author, title="Live", body="First.")
        created = await receive(socket)
        changed = await _changed(live, author, post["id"], title="Live, changed")
        updated = await receive(socket)
        removed = await live.http.delete(f"/api/v1/posts/{post['id']}", headers=author.headers)
        assert removed.status_code == 204, removed.text
        deleted = await receive(socket)

    read = await live.http.get(f"/api/v1/posts/{changed['id']}", headers=author.headers)
    assert read.status_code == 404
    assert (created["type"], created["post"]) == ("post.created", post)
    assert (updated["type"], updated["post"]) == ("post.updated", changed)
    assert (deleted["type"], deleted["post"]) == ("post.deleted", {"id": post["id"]})
    ids = [uuid.UUID(event["id"]) for event in (created, updated, deleted)]
    assert len(set(ids)) == 3
    assert {event_id.version for event_id in ids} == {4}


async def test_a_failed_write_publishes_nothing(live: Live) -> None:
    author = await new_author(live.http, live.app)
    post = await write_post(live.http, author)
    missing = str(uuid.uuid4())
    async with live.socket(headers=author.headers) as socket:
        for response in (
            await live.http.patch(
                f"/api/v1/posts/{post['id']}", json={"title": ""}, headers=author.headers
            ),
            await live.http.patch(
                f"/api/v1/posts/{missing}", json={"title": "x"}, headers=author.headers
            ),
            await live.http.delete(f"/api/v1/posts/{missing}", headers=author.headers),
        ):
            assert response.status_code in {404, 422}, response.text
        # Background tasks of those requests, had there been any, have run by now.
        assert await _messages_until_pong(socket) == []
        changed = await _changed(live, author, post["id"], title="After")
        assert (await receive(socket))["post"] == changed


async def test_a_subscribe_keeps_one_authors_events(live: Live) -> None:
    mine, theirs = await new_author(live.http, live.app), await new_author(live.http, live.app)
    async with live.socket(headers=mine.headers) as socket:
        await send(socket, {"type": "subscribe", "author_id": mine.id})
        assert (await receive(socket))["type"] == "subscribed"

        await write_post(live.http, theirs, title="Not for this socket")
        post = await write_post(live.http, mine, title="For this socket")
        first = await receive(socket)
        rest = await _messages_until_pong(socket)

        assert [first["post"]["id"], *(event["post"]["id"] for event in rest)] == [post["id"]]
        # No author: every author's again, deletions included.
        await send(socket, {"type": "subscribe", "author_id": None})
        assert (await receive(socket))["author_id"] is None
        other = await write_post(live.http, theirs, title="Now for this socket")
        assert (await receive(socket))["post"]["id"] == other["id"]


async def test_a_deletion_reaches_the_sockets_subscribed_to_its_author(live: Live) -> None:
    author = await new_author(live.http, live.app)
    post = await write_post(live.http, author)
    async with live.socket(headers=author.headers) as socket:
        await send(socket, {"type": "subscribe", "author_id": author.id})
        await receive(socket)

        removed = await live.http.delete(f"/api/v1/posts/{post['id']}", headers=author.headers)

        assert removed.status_code == 204
        assert (await receive(socket))["post"] == {"id": post["id"]}
