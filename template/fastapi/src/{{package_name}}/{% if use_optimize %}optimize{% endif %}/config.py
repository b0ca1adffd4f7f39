"""Settings of the optimize toolkit: the slow-query threshold and the query-count header."""

from pydantic import Field
from pydantic_settings import BaseSettings

from ..core.config import ENV_CONFIG


class OptimizeSettings(BaseSettings):
    model_config = ENV_CONFIG

    # Statements slower than this are logged (what they are, never the values they carry).
    slow_query_ms: float = Field(default=200, ge=0)
    # X-Query-Count on every response: for development and load tests, off in production.
    query_count_header: bool = False
