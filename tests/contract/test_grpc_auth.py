"""The gRPC door with auth: the token from `authorization` metadata, the one permission map.

Runs where the server has the grpc style and the auth task.
"""

from __future__ import annotations

import grpc
import httpx

from contract.grpc import PASSWORD, GrpcCaller, as_dict, failure, rest_user

Code = grpc.StatusCode
MISSING = (Code.UNAUTHENTICATED, "A valid bearer token is required.")
INVALID = (Code.UNAUTHENTICATED, "The bearer token is invalid or has expired.")
FORBIDDEN = (Code.PERMISSION_DENIED, "Your role does not allow this.")


def test_a_missing_or_bad_token_is_unauthenticated(grpc_caller: GrpcCaller) -> None:
    m = grpc_caller.m
    missing = failure(grpc_caller.users.GetMe, m.GetMeRequest())
    bad = failure(grpc_caller.users.GetMe, m.GetMeRequest(), metadata=(("authorization", "Bearer not.a.token"),))
    tampered = failure(
        grpc_caller.posts.ListPosts, m.ListPostsRequest(), metadata=(("authorization", f"Bearer {grpc_caller.token}x"),)
    )
    not_bearer = failure(grpc_caller.users.GetMe, m.GetMeRequest(), metadata=(("authorization", grpc_caller.token),))

    assert (missing.code, missing.details) == MISSING
    assert (bad.code, bad.details) == (tampered.code, tampered.details) == INVALID
    assert not_bearer.code == Code.UNAUTHENTICATED


def test_admin_only_methods_are_permission_denied_to_a_user(grpc_caller: GrpcCaller) -> None:
    m = grpc_caller.m
    listing = grpc_caller.fails(grpc_caller.users.ListUsers, m.ListUsersRequest())
    deleting = grpc_caller.fails(grpc_caller.users.DeleteUser, m.DeleteUserRequest(id=grpc_caller.user["id"]))
    assert (listing.code, listing.details) == (deleting.code, deleting.details) == FORBIDDEN


def test_another_users_record_is_not_found(
    grpc_caller: GrpcCaller, grpc_channel: grpc.Channel, client: httpx.Client
) -> None:
    other = GrpcCaller(grpc_channel, grpc_caller.stubs, client, frozenset({"auth"}))
    failed = grpc_caller.fails(grpc_caller.users.GetUser, grpc_caller.m.GetUserRequest(id=other.user["id"]))
    assert (failed.code, failed.details) == (Code.NOT_FOUND, "No user has this id.")


def test_only_the_author_changes_a_post(
    grpc_caller: GrpcCaller, grpc_channel: grpc.Channel, client: httpx.Client
) -> None:
    m = grpc_caller.m
    other = GrpcCaller(grpc_channel, grpc_caller.stubs, client, frozenset({"auth"}))
    theirs = other.create_post()

    update = grpc_caller.fails(grpc_caller.posts.UpdatePost, m.UpdatePostRequest(id=theirs.id, title="Mine now"))
    delete = grpc_caller.fails(grpc_caller.posts.DeletePost, m.DeletePostRequest(id=theirs.id))
    read = grpc_caller.call(grpc_caller.posts.GetPost, m.GetPostRequest(id=theirs.id))

    assert (update.code, update.details) == (delete.code, delete.details) == FORBIDDEN
    assert as_dict(read) == as_dict(theirs)  # any signed-in user reads every post


def test_update_me_changes_the_name_and_the_password(grpc_caller: GrpcCaller, client: httpx.Client) -> None:
    m = grpc_caller.m
    new_password = f"{PASSWORD} again"

    renamed = grpc_caller.call(grpc_caller.users.UpdateMe, m.UpdateMeRequest(name="Ada King"))
    grpc_caller.call(grpc_caller.users.UpdateMe, m.UpdateMeRequest(password=new_password))
    short = grpc_caller.fails(grpc_caller.users.UpdateMe, m.UpdateMeRequest(password="short"))  # noqa: S106

    assert as_dict(renamed) == rest_user(grpc_caller.user) | {"name": "Ada King"}
    assert client.get("/api/v1/users/me", headers=grpc_caller.headers).json()["name"] == "Ada King"
    signed_in = client.post("/api/v1/auth/token", json={"email": grpc_caller.email, "password": new_password})
    assert signed_in.status_code == 200, signed_in.text
    assert short.code == Code.INVALID_ARGUMENT
    assert short.details.startswith("Invalid request: password: "), short.details
