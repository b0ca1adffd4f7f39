"""PostgreSQL settings: the connection URL, the pool size and how long to wait for it."""

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ..core.config import ENV_CONFIG

_SCHEMES = frozenset({"postgresql", "postgres", "postgresql+asyncpg"})
_EXPECTED = "must look like postgresql://user:password@host:5432/dbname"


class DatabaseSettings(BaseSettings):
    """Read on its own by the migrations, so they need only DATABASE_URL."""

    model_config = ENV_CONFIG

    # repr=False: the URL carries the database password.
    database_url: str = Field(repr=False)
    db_pool_size: int = Field(default=10, ge=1, le=1000)
    # How long a request waits for a free pooled connection before it is answered 503.
    db_pool_timeout_seconds: float = Field(default=5, gt=0)

    @field_validator("database_url")
    @classmethod
    def _must_be_postgresql(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(_EXPECTED) from None
        if url.drivername not in _SCHEMES or not url.host or not url.database:
            raise ValueError(_EXPECTED)
        return value

    @property
    def async_database_url(self) -> URL:
        """The same URL, with the asyncpg driver that SQLAlchemy's async engine needs."""
        return make_url(self.database_url).set(drivername="postgresql+asyncpg")
