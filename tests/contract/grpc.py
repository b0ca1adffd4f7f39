"""Helpers for the gRPC contract tests: stubs compiled from the server's own .proto, its callers.

CONTRACT_GRPC_TARGET names the server's gRPC address (host:port) and CONTRACT_PROTO_ROOT the
render's ``proto/`` folder. The stubs are compiled from that file at the start of the run by
grpcio-tools, so the suite tests the contract the server was rendered with, never a copy.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import grpc
import httpx
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_tools import protoc

from contract.api import unique_email

PASSWORD = "correct horse battery staple"  # noqa: S105  (a test account's, made per test)
TIMEOUT = 10.0
ONE_MIB = 1024 * 1024
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
# The stubs are compiled when the run starts: their messages and methods have no static type.
Generated = Any
Method = Callable[..., Generated]


def target() -> str:
    value = os.environ.get("CONTRACT_GRPC_TARGET")
    if not value:
        msg = "CONTRACT_GRPC_TARGET is not set: name the server's gRPC address, for example 127.0.0.1:50051."
        raise LookupError(msg)
    return value


@dataclass(frozen=True)
class Stubs:
    """The generated modules of the server's .proto: messages and service stubs."""

    package: str  # <package_name>.v1
    messages: ModuleType
    services: ModuleType


def compile_stubs(output: Path) -> Stubs:
    """Compile the one .proto under CONTRACT_PROTO_ROOT into ``output`` and import it."""
    root = os.environ.get("CONTRACT_PROTO_ROOT")
    if not root:
        msg = "CONTRACT_PROTO_ROOT is not set: name the render's proto/ folder."
        raise LookupError(msg)
    protos = sorted(Path(root).rglob("*.proto"))
    assert len(protos) == 1, f"one .proto expected under {root}: {protos}"
    relative = protos[0].relative_to(root)
    arguments = [f"-I{root}", f"--python_out={output}", f"--grpc_python_out={output}", str(relative)]
    status = protoc.main(["protoc", *arguments])
    assert status == 0, f"protoc could not compile {relative}"
    sys.path.insert(0, str(output))
    module = relative.with_suffix("").as_posix().replace("/", ".")
    return Stubs(
        package=".".join(relative.parent.parts),
        messages=importlib.import_module(f"{module}_pb2"),
        services=importlib.import_module(f"{module}_pb2_grpc"),
    )


def as_dict(message: Message) -> dict[str, Any]:
    """A message as JSON with the proto's field names; unset fields absent."""
    return MessageToDict(message, preserving_proto_field_name=True)


def rest_user(user: dict[str, Any]) -> dict[str, Any]:
    """What the User message holds for a REST user (the same fields, the same text)."""
    return {key: user[key] for key in ("id", "email", "name", "role", "created_at")}


def rest_post(post: dict[str, Any]) -> dict[str, Any]:
    """What the Post message holds for a REST post; an empty body is unset in proto3."""
    fields = {key: post[key] for key in ("id", "title", "body", "author", "created_at", "updated_at")}
    return {key: value for key, value in fields.items() if value != ""}


@dataclass
class Failure:
    """The status a call ended with, and its metadata."""

    code: grpc.StatusCode
    details: str
    initial: dict[str, str] = field(default_factory=dict)
    trailing: dict[str, str] = field(default_factory=dict)


def failure(call: Method, *args: Generated, **kwargs: Generated) -> Failure:
    """Make a unary call that must fail; its status, details and metadata."""
    try:
        call(*args, timeout=TIMEOUT, **kwargs)
    except grpc.RpcError as error:
        return Failure(
            code=error.code(),
            details=error.details() or "",
            initial=dict(error.initial_metadata() or ()),
            trailing=dict(error.trailing_metadata() or ()),
        )
    msg = "the call succeeded"
    raise AssertionError(msg)


def invalid_fields(failed: Failure) -> list[str]:
    """The fields an INVALID_ARGUMENT names, in order: ``Invalid request: a: why; b: why``."""
    assert failed.code == grpc.StatusCode.INVALID_ARGUMENT, failed
    assert failed.details.startswith("Invalid request: "), failed.details
    parts = failed.details.removeprefix("Invalid request: ").split("; ")
    return [part.split(":", 1)[0] for part in parts]


class GrpcCaller:
    """Who makes the calls: a new signed-in account with auth (signed up and in through REST), anyone without."""

    def __init__(self, channel: grpc.Channel, stubs: Stubs, client: httpx.Client, tasks: frozenset[str]) -> None:
        self.stubs = stubs
        self.m = stubs.messages
        self.users = stubs.services.UserServiceStub(channel)
        self.posts = stubs.services.PostServiceStub(channel)
        self.auth = "auth" in tasks
        self.email = unique_email()
        answer = {"email": self.email, "name": "Ada"} | ({"password": PASSWORD} if self.auth else {})
        created = client.post("/api/v1/users", json=answer)
        assert created.status_code == 201, created.text
        self.user: dict[str, Any] = created.json()
        self.metadata: tuple[tuple[str, str], ...] = ()
        if self.auth:
            signed_in = client.post("/api/v1/auth/token", json={"email": self.email, "password": PASSWORD})
            assert signed_in.status_code == 200, signed_in.text
            self.token = signed_in.json()["access_token"]
            self.metadata = (("authorization", f"Bearer {self.token}"),)
            self.headers = {"Authorization": f"Bearer {self.token}"}
        else:
            self.headers = {}

    def call(self, method: Method, request: Message, **kwargs: Generated) -> Generated:
        return method(request, metadata=self.metadata, timeout=TIMEOUT, **kwargs)

    def fails(self, method: Method, request: Message, **kwargs: Generated) -> Failure:
        return failure(method, request, **({"metadata": self.metadata} | kwargs))

    def create_post(self, title: str = "Hello", body: str = "Text.") -> Generated:
        """A post of this caller, made through gRPC."""
        extra = {} if self.auth else {"author_id": self.user["id"]}
        return self.call(self.posts.CreatePost, self.m.CreatePostRequest(title=title, body=body, **extra))


class HealthWatch:
    """A health Watch of the whole server (service ""), read to its end by a thread.

    Its first status (SERVING) arrives before ``watch_health`` hands it out.
    """

    def __init__(self, stream: Any) -> None:  # noqa: ANN401  (grpc's stream has no static type)
        self._stream = stream
        self._statuses: list[int] = []
        self.first = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # An error: the server ended the stream (stopping), or the test cancelled it.
        with suppress(grpc.RpcError):
            for answer in self._stream:
                self._statuses.append(answer.status)
                self.first.set()

    def statuses(self, timeout: float = 30) -> list[int]:
        """Every status sent, once the stream has ended (within ``timeout``)."""
        self._reader.join(timeout)
        assert not self._reader.is_alive(), f"the health Watch is still open after {timeout} s"
        return self._statuses


@contextmanager
def watch_health(port: str) -> Iterator[HealthWatch]:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stream = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service=""))
        watch = HealthWatch(stream)
        try:
            # The server has taken the call once it sent the current status.
            assert watch.first.wait(TIMEOUT), "the health Watch sent no status"
            yield watch
        finally:
            stream.cancel()
