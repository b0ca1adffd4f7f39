"""Redis settings: the connection URL, the pool size and how long cached reads live."""

from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings

from ..core.config import ENV_CONFIG

_EXPECTED = "must look like redis://host:6379/0 (or rediss:// for TLS)"


class CacheSettings(BaseSettings):
    model_config = ENV_CONFIG

    # repr=False: the URL may carry the Redis password.
    redis_url: str = Field(repr=False)
    redis_pool_size: int = Field(default=10, ge=1, le=1000)
    cache_ttl_seconds: int = Field(default=60, ge=1)

    @field_validator("redis_url")
    @classmethod
    def _must_be_redis(cls, value: str) -> str:
        try:
            url = urlsplit(value)
            # Reading .port raises ValueError when the port is not a number.
            valid = url.scheme in {"redis", "rediss"} and bool(url.hostname) and url.port != 0
        except ValueError:
            valid = False
        if not valid:
            raise ValueError(_EXPECTED)
        return value
