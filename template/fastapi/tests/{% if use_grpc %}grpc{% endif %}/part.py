"""The gRPC style's part of the test helpers: a free port for each app's gRPC server."""

from typing import TYPE_CHECKING

from tests.part import TestPart
from tests.ports import free_port

if TYPE_CHECKING:
    from tests.helpers import TestServers


def _environment(_servers: "TestServers") -> dict[str, str]:
    # Every test app starts a gRPC server: each on a loopback port of its own.
    return {"GRPC_PORT": str(free_port())}


PART = TestPart(environment=_environment)
