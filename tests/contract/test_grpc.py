"""The gRPC door (DESIGN §3 "API styles"): the REST rules, answered as status codes.

Runs where the server has the grpc style. The stubs come from the server's own .proto; every
value read through gRPC is compared with what REST answers for the same record.
"""

from __future__ import annotations

import uuid

import grpc
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from contract.api import unique_email
from contract.grpc import (
    ONE_MIB,
    PASSWORD,
    TIMEOUT,
    GrpcCaller,
    Stubs,
    as_dict,
    failure,
    invalid_fields,
    rest_post,
    rest_user,
)

Code = grpc.StatusCode


def test_reflection_lists_the_services_and_describes_them(grpc_channel: grpc.Channel, grpc_stubs: Stubs) -> None:
    database = ProtoReflectionDescriptorDatabase(grpc_channel)

    services = set(database.get_services())
    assert {f"{grpc_stubs.package}.UserService", f"{grpc_stubs.package}.PostService", "grpc.health.v1.Health"} <= (
        services
    )
    # What grpcurl describes: the methods of the server's file, as the .proto declares them.
    served = database.FindFileContainingSymbol(f"{grpc_stubs.package}.PostService")
    declared = grpc_stubs.messages.DESCRIPTOR.services_by_name["PostService"]
    (service,) = (entry for entry in served.service if entry.name == "PostService")
    assert [method.name for method in service.method] == [method.name for method in declared.methods]


@pytest.mark.parametrize("service", ["", "UserService", "PostService"])
def test_health_says_serving(grpc_channel: grpc.Channel, grpc_stubs: Stubs, service: str) -> None:
    name = f"{grpc_stubs.package}.{service}" if service else ""
    health = health_pb2_grpc.HealthStub(grpc_channel)

    answer = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=TIMEOUT)

    assert answer.status == health_pb2.HealthCheckResponse.SERVING


def test_health_of_an_unknown_service_is_not_found(grpc_channel: grpc.Channel) -> None:
    health = health_pb2_grpc.HealthStub(grpc_channel)
    failed = failure(health.Check, health_pb2.HealthCheckRequest(service="no.such.Service"))
    assert failed.code == Code.NOT_FOUND


def test_a_user_reads_as_rest_answers(grpc_caller: GrpcCaller) -> None:
    m = grpc_caller.m
    if grpc_caller.auth:
        me = grpc_caller.call(grpc_caller.users.GetMe, m.GetMeRequest())
        assert as_dict(me) == rest_user(grpc_caller.user)
    user = grpc_caller.call(grpc_caller.users.GetUser, m.GetUserRequest(id=grpc_caller.user["id"]))
    assert as_dict(user) == rest_user(grpc_caller.user)


def test_create_user_signs_up_and_a_taken_email_already_exists(grpc_caller: GrpcCaller, client: httpx.Client) -> None:
    m = grpc_caller.m
    email = unique_email()
    extra = {"password": PASSWORD} if grpc_caller.auth else {}

    created = grpc_caller.users.CreateUser(m.CreateUserRequest(email=email.upper(), name="Grace", **extra))
    again = failure(grpc_caller.users.CreateUser, m.CreateUserRequest(email=email, name="Grace", **extra))

    assert created.email == email  # stored in lower case, as REST does
    assert (created.name, created.role) == ("Grace", "user")
    assert (again.code, again.details) == (Code.ALREADY_EXISTS, "A user with this email already exists.")
    if grpc_caller.auth:  # the account signs in through REST, with the password given here
        signed_in = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text


def test_a_post_reads_the_same_through_grpc_and_rest(grpc_caller: GrpcCaller, client: httpx.Client) -> None:
    created = grpc_caller.create_post(title="From gRPC", body="")
    fetched = client.get(f"/api/v1/posts/{created.id}", headers=grpc_caller.headers)
    got = grpc_caller.call(grpc_caller.posts.GetPost, grpc_caller.m.GetPostRequest(id=created.id))

    assert fetched.status_code == 200, fetched.text
    assert as_dict(created) == as_dict(got) == rest_post(fetched.json())
    assert got.author.id == grpc_caller.user["id"]


def test_update_changes_only_the_fields_set(grpc_caller: GrpcCaller, client: httpx.Client) -> None:
    m = grpc_caller.m
    created = grpc_caller.create_post(title="Before", body="Kept.")

    updated = grpc_caller.call(grpc_caller.posts.UpdatePost, m.UpdatePostRequest(id=created.id, title="After"))
    unchanged = grpc_caller.call(grpc_caller.posts.UpdatePost, m.UpdatePostRequest(id=created.id))

    assert (updated.title, updated.body) == ("After", "Kept.")
    assert updated.updated_at >= created.updated_at
    assert as_dict(unchanged) == as_dict(updated)
    assert rest_post(client.get(f"/api/v1/posts/{created.id}", headers=grpc_caller.headers).json()) == as_dict(updated)


def test_delete_removes_the_post_then_it_is_not_found(grpc_caller: GrpcCaller, client: httpx.Client) -> None:
    m = grpc_caller.m
    created = grpc_caller.create_post()

    grpc_caller.call(grpc_caller.posts.DeletePost, m.DeletePostRequest(id=created.id))
    gone = grpc_caller.fails(grpc_caller.posts.GetPost, m.GetPostRequest(id=created.id))
    again = grpc_caller.fails(grpc_caller.posts.DeletePost, m.DeletePostRequest(id=created.id))

    assert client.get(f"/api/v1/posts/{created.id}", headers=grpc_caller.headers).status_code == 404
    assert (gone.code, gone.details) == (again.code, again.details) == (Code.NOT_FOUND, "No post has this id.")


def test_pages_follow_the_rest_cursors_both_ways(grpc_caller: GrpcCaller, client: httpx.Client) -> None:
    m = grpc_caller.m
    ids = [grpc_caller.create_post(title=f"Post {number}").id for number in range(5)][::-1]
    author = grpc_caller.user["id"]

    first = grpc_caller.call(grpc_caller.posts.ListPosts, m.ListPostsRequest(limit=2, author_id=author))
    rest = client.get(
        "/api/v1/posts",
        params={"limit": 2, "author_id": author, "cursor": first.next_cursor},
        headers=grpc_caller.headers,
    ).json()
    last = grpc_caller.call(
        grpc_caller.posts.ListPosts, m.ListPostsRequest(limit=2, author_id=author, cursor=rest["next_cursor"])
    )

    assert [post.id for post in first.items] == ids[:2]
    assert [post["id"] for post in rest["items"]] == ids[2:4]
    assert [post.id for post in last.items] == ids[4:]
    assert last.next_cursor == ""  # the last page
    assert [as_dict(post) for post in first.items] == [
        rest_post(post)
        for post in client.get(
            "/api/v1/posts", params={"limit": 2, "author_id": author}, headers=grpc_caller.headers
        ).json()["items"]
    ]


def test_limit_zero_is_the_default_page_of_twenty(grpc_caller: GrpcCaller) -> None:
    for number in range(21):
        grpc_caller.create_post(title=f"Post {number}")
    page = grpc_caller.call(
        grpc_caller.posts.ListPosts, grpc_caller.m.ListPostsRequest(author_id=grpc_caller.user["id"])
    )
    assert len(page.items) == 20
    assert page.next_cursor


@pytest.mark.parametrize(
    ("request_fields", "fields"),
    [
        ({"limit": 101}, ["limit"]),
        ({"limit": -1}, ["limit"]),
        ({"cursor": "not-a-cursor"}, ["cursor"]),
        ({"author_id": "not-a-uuid"}, ["author_id"]),
    ],
    ids=["limit-over", "limit-negative", "cursor", "author-id"],
)
def test_a_bad_page_request_names_its_field(
    grpc_caller: GrpcCaller, request_fields: dict[str, object], fields: list[str]
) -> None:
    failed = grpc_caller.fails(grpc_caller.posts.ListPosts, grpc_caller.m.ListPostsRequest(**request_fields))
    assert invalid_fields(failed) == fields


def test_invalid_fields_are_named_in_the_order_of_the_proto(grpc_caller: GrpcCaller) -> None:
    m = grpc_caller.m
    extra = {} if grpc_caller.auth else {"author_id": grpc_caller.user["id"]}

    both = grpc_caller.fails(grpc_caller.posts.CreatePost, m.CreatePostRequest(title="", body="x" * 10_001, **extra))
    bad_id = grpc_caller.fails(grpc_caller.posts.GetPost, m.GetPostRequest(id="42"))
    bad_email = failure(grpc_caller.users.CreateUser, m.CreateUserRequest(email="nobody", name="Ada"))

    assert invalid_fields(both) == ["title", "body"]
    assert invalid_fields(bad_id) == ["id"]
    assert invalid_fields(bad_email)[0] == "email"


def test_an_unknown_post_is_not_found(grpc_caller: GrpcCaller) -> None:
    m = grpc_caller.m
    failed = grpc_caller.fails(grpc_caller.posts.GetPost, m.GetPostRequest(id=str(uuid.uuid4())))
    assert (failed.code, failed.details) == (Code.NOT_FOUND, "No post has this id.")
    update = grpc_caller.fails(grpc_caller.posts.UpdatePost, m.UpdatePostRequest(id=str(uuid.uuid4()), title="x"))
    assert update.code == Code.NOT_FOUND


def test_a_message_over_one_mib_is_refused(grpc_caller: GrpcCaller) -> None:
    m = grpc_caller.m
    failed = grpc_caller.fails(grpc_caller.posts.GetPost, m.GetPostRequest(id="x" * (ONE_MIB + 1)))
    assert failed.code == Code.RESOURCE_EXHAUSTED


def test_a_valid_request_id_is_echoed_and_one_is_made_otherwise(grpc_caller: GrpcCaller) -> None:
    m = grpc_caller.m
    _, echoed = grpc_caller.users.GetUser.with_call(
        m.GetUserRequest(id=grpc_caller.user["id"]),
        metadata=(*grpc_caller.metadata, ("x-request-id", "abc-123.def_456")),
        timeout=TIMEOUT,
    )
    failed = grpc_caller.fails(grpc_caller.posts.GetPost, m.GetPostRequest(id=str(uuid.uuid4())))

    assert dict(echoed.initial_metadata())["x-request-id"] == "abc-123.def_456"
    # An error carries one too, made by the server.
    assert uuid.UUID(failed.initial["x-request-id"]).version == 4


def test_the_author_of_a_new_post(grpc_caller: GrpcCaller) -> None:
    """With auth, the caller; without, the user ``author_id`` names, which must exist."""
    created = grpc_caller.create_post()
    assert created.author.id == grpc_caller.user["id"]
    assert created.author.name == grpc_caller.user["name"]
    if not grpc_caller.auth:
        request = grpc_caller.m.CreatePostRequest(title="t", body="b", author_id=str(uuid.uuid4()))
        assert invalid_fields(failure(grpc_caller.posts.CreatePost, request)) == ["author_id"]
