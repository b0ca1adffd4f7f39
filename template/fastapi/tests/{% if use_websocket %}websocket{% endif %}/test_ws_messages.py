"""What a client may send on events.v1, and how the server answers or closes."""

import json

import pytest

from tests.callers import new_author
from tests.websocket.live import Live, closed_with, receive, send

MAX_MESSAGE_BYTES = 64 * 1024


async def test_a_ping_is_answered_with_a_pong(live: Live) -> None:
    author = await new_author(live.http, live.app)
    async with live.socket(headers=author.headers) as socket:
        for _ in range(2):
            await send(socket, {"type": "ping"})
            assert await receive(socket) == {"type": "pong"}


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '"ping"',
        "{}",
        '{"type": "shout"}',
        '{"type": "ping", "extra": 1}',
        '{"type": "subscribe", "author_id": "not-a-uuid"}',
        '{"type": "subscribe", "author_id": 42}',
        '{"type": "subscribe", "author_id": null, "extra": true}',
    ],
)
async def test_an_invalid_message_gets_an_error_and_the_socket_stays_open(
    live: Live, text: str
) -> None:
    author = await new_author(live.http, live.app)
    async with live.socket(headers=author.headers) as socket:
        await socket.send(text)

        error = await receive(socket)

        assert (error["type"], error["code"]) == ("error", "invalid_message")
        assert error["detail"]
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}


async def test_a_subscribe_is_confirmed_with_its_filter(live: Live) -> None:
    author = await new_author(live.http, live.app)
    async with live.socket(headers=author.headers) as socket:
        await send(socket, {"type": "subscribe", "author_id": author.id})
        assert await receive(socket) == {"type": "subscribed", "author_id": author.id}
        await send(socket, {"type": "subscribe"})
        assert await receive(socket) == {"type": "subscribed", "author_id": None}


async def test_a_binary_frame_closes_with_1003(live: Live) -> None:
    author = await new_author(live.http, live.app)
    async with live.socket(headers=author.headers) as socket:
        await socket.send(json.dumps({"type": "ping"}).encode())

        assert await closed_with(socket) == 1003


async def test_64_kib_is_read_and_one_byte_more_closes_with_1009(live: Live) -> None:
    author = await new_author(live.http, live.app)
    async with live.socket(headers=author.headers) as socket:
        await socket.send("x" * MAX_MESSAGE_BYTES)
        assert (await receive(socket))["code"] == "invalid_message"

        await socket.send("x" * (MAX_MESSAGE_BYTES + 1))

        assert await closed_with(socket) == 1009
    await live.until_open_sockets(0)
