"""WebSocket settings: the protocol pings, and the limits that bound each process's memory."""

from pydantic import Field
from pydantic_settings import BaseSettings

from ..core.config import ENV_CONFIG


class WebsocketSettings(BaseSettings):
    model_config = ENV_CONFIG

    # Seconds between protocol pings; a peer that has not answered by the next is dropped.
    ws_ping_seconds: float = Field(default=25, gt=0)
    # Open sockets in this process; the next upgrade is refused with 503.
    ws_max_connections: int = Field(default=1000, ge=1)
    # Events waiting to be written to one socket; one more closes it with 1013.
    ws_queue_size: int = Field(default=100, ge=1)
