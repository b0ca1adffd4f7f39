"""MongoDB settings: the connection URL, the pool size and how long to wait for it."""

from urllib.parse import unquote, urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings

from ..core.config import ENV_CONFIG

_SCHEMES = frozenset({"mongodb", "mongodb+srv"})
_EXPECTED = "must look like mongodb://user:password@host:27017/dbname (a database name is required)"


def database_name(url: str) -> str:
    """The database named by the URL's path (``mongodb://host/<name>?options``)."""
    return unquote(urlsplit(url).path.lstrip("/"))


class DatabaseSettings(BaseSettings):
    """Read on its own by ``migrate``, so it needs only DATABASE_URL."""

    model_config = ENV_CONFIG

    # repr=False: the URL carries the database password.
    database_url: str = Field(repr=False)
    db_pool_size: int = Field(default=10, ge=1, le=1000)
    # How long a request waits for a free pooled connection before it is answered 503.
    db_pool_timeout_seconds: float = Field(default=5, gt=0)

    @field_validator("database_url")
    @classmethod
    def _must_be_mongodb(cls, value: str) -> str:
        try:
            url = urlsplit(value)
        except ValueError:
            raise ValueError(_EXPECTED) from None
        name = database_name(value)
        host = url.netloc.rpartition("@")[2]
        if url.scheme not in _SCHEMES or not host or not name or "/" in name:
            raise ValueError(_EXPECTED)
        return value

    @property
    def database_name(self) -> str:
        return database_name(self.database_url)
