"""The gRPC server: its options, the two services, health checking and reflection."""

import logging

from fastapi import FastAPI
from grpc import aio
from grpc_health.v1 import health_pb2_grpc
from grpc_health.v1.health import SERVICE_NAME as HEALTH
from grpc_reflection.v1alpha.reflection import SERVICE_NAME as REFLECTION
from grpc_reflection.v1alpha.reflection import enable_server_reflection

from .calls import Calls
from .health import HealthServicer
from .posts import SERVICE as POST_SERVICE
from .posts import post_service
from .users import SERVICE as USER_SERVICE
from .users import user_service

logger = logging.getLogger(__name__)

SERVICES = (USER_SERVICE, POST_SERVICE)
# As REST's body limit: a larger message is refused by gRPC itself (RESOURCE_EXHAUSTED).
MAX_MESSAGE_BYTES = 1024 * 1024
OPTIONS = (
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    # A port another process holds is an error at start, never a silent share.
    ("grpc.so_reuseport", 0),
)


class PortInUseError(RuntimeError):
    def __init__(self, address: str) -> None:
        super().__init__(f"GRPC_PORT: cannot listen on {address} (in use?); set a free port.")


def build_server(app: FastAPI) -> tuple[aio.Server, HealthServicer, Calls]:
    """The server listening on HOST:GRPC_PORT (not started), its health service and its calls."""
    settings = app.state.settings
    server = aio.server(options=OPTIONS)
    calls = Calls(app)
    server.add_generic_rpc_handlers((user_service(calls), post_service(calls)))
    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    if settings.docs_enabled:
        # Like GraphQL introspection: a description of the API, only with the docs.
        enable_server_reflection((*SERVICES, HEALTH, REFLECTION), server)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    address = f"{host}:{settings.grpc_port}"
    try:
        bound = server.add_insecure_port(address)
    except RuntimeError as exc:
        raise PortInUseError(address) from exc
    if not bound:
        raise PortInUseError(address)
    logger.info("grpc server listening", extra={"address": address})
    return server, health, calls
