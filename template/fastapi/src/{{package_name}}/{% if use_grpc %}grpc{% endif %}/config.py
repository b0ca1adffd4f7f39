"""gRPC settings: its port, and how often readiness is checked for its health service."""

from pydantic import Field
from pydantic_settings import BaseSettings

from ..core.config import ENV_CONFIG


class GrpcSettings(BaseSettings):
    model_config = ENV_CONFIG

    # On HOST, beside the HTTP port; in use by anyone else, the service does not start.
    grpc_port: int = Field(default=50051, ge=1, le=65535)
    # Seconds between readiness checks, whose result grpc.health.v1.Health answers.
    grpc_health_check_seconds: float = Field(default=5, gt=0)
