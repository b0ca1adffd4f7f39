"""PostService.WatchPosts: the post events of /ws/v1/events, streamed over gRPC.

Runs where the server has the grpc and websocket styles (the bus lives with websocket).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import grpc
import httpx
import pytest

from contract.grpc import TIMEOUT, GrpcCaller, as_dict, rest_post


@contextmanager
def watching(grpc_caller: GrpcCaller, author_id: str = "") -> Iterator[Any]:
    """A WatchPosts stream, once the server has subscribed it (its initial metadata arrived)."""
    stream = grpc_caller.posts.WatchPosts(
        grpc_caller.m.WatchPostsRequest(author_id=author_id), metadata=grpc_caller.metadata, timeout=TIMEOUT
    )
    try:
        assert dict(stream.initial_metadata())["x-request-id"]
        yield stream
    finally:
        stream.cancel()


def test_rest_writes_stream_as_events(grpc_caller: GrpcCaller, client: httpx.Client) -> None:
    kinds = grpc_caller.m.PostEvent.Kind
    with watching(grpc_caller, grpc_caller.user["id"]) as stream:
        author = {} if grpc_caller.auth else {"author_id": grpc_caller.user["id"]}
        created = client.post(
            "/api/v1/posts", json={"title": "Watched", "body": "Text."} | author, headers=grpc_caller.headers
        )
        post = created.json()
        changed = client.patch(f"/api/v1/posts/{post['id']}", json={"title": "Changed"}, headers=grpc_caller.headers)
        client.delete(f"/api/v1/posts/{post['id']}", headers=grpc_caller.headers)
        events = [next(stream) for _ in range(3)]

    assert [event.kind for event in events] == [kinds.KIND_CREATED, kinds.KIND_UPDATED, kinds.KIND_DELETED]
    assert {event.post_id for event in events} == {post["id"]}
    assert as_dict(events[0].post) == rest_post(post)
    assert as_dict(events[1].post) == rest_post(changed.json())
    assert not events[2].HasField("post")
    assert len({event.id for event in events}) == 3
    assert all(event.occurred_at.endswith("Z") for event in events)


def test_grpc_writes_reach_watchers_and_the_filter_holds(
    grpc_caller: GrpcCaller, grpc_channel: grpc.Channel, client: httpx.Client
) -> None:
    other = GrpcCaller(grpc_channel, grpc_caller.stubs, client, frozenset({"auth"} if grpc_caller.auth else ()))
    with watching(grpc_caller, grpc_caller.user["id"]) as mine, watching(grpc_caller) as everyone:
        theirs = other.create_post(title="Not yours")
        own = grpc_caller.create_post(title="Yours")
        first_of_mine = next(mine)
        seen = [next(everyone).post_id for _ in range(2)]

    assert first_of_mine.post_id == own.id
    assert seen == [theirs.id, own.id]


def test_a_bad_author_id_is_invalid(grpc_caller: GrpcCaller) -> None:
    stream = grpc_caller.posts.WatchPosts(
        grpc_caller.m.WatchPostsRequest(author_id="nope"), metadata=grpc_caller.metadata, timeout=TIMEOUT
    )
    with pytest.raises(grpc.RpcError) as raised:
        next(stream)
    error: Any = raised.value  # a call's error is also the call: code() and details()
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details().startswith("Invalid request: author_id: ")
