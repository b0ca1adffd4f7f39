"""The cache task's part of the test helpers: a real Redis."""

from typing import TYPE_CHECKING

from tests.part import TestPart

if TYPE_CHECKING:
    from tests.helpers import TestServers


def _environment(servers: "TestServers") -> dict[str, str]:
    return {"REDIS_URL": servers.redis_url}


PART = TestPart(
    required_servers={"REDIS_URL": "a Redis database, e.g. redis://127.0.0.1:6379/1"},
    environment=_environment,
    valid_environment={"REDIS_URL": "redis://cache.internal:6379/0"},
    readiness_checks=("redis",),
)
