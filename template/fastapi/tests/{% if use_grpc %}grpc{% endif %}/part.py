"""The gRPC style's part of the test helpers: a free port for each app's gRPC server."""

import socket
from typing import TYPE_CHECKING

from tests.part import TestPart

if TYPE_CHECKING:
    from tests.helpers import TestServers


def _environment(_servers: "TestServers") -> dict[str, str]:
    # Every test app starts a gRPC server: each on a loopback port of its own.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return {"GRPC_PORT": str(port)}


PART = TestPart(environment=_environment)
