"""grpc.health.v1.Health kept in step with readiness: the checks of /health/ready, polled.

Every GRPC_HEALTH_CHECK_SECONDS the readiness checks run; the server ("") and each service
are SERVING while all pass, NOT_SERVING while one fails. On shutdown all turn NOT_SERVING
for good, before the server stops taking calls.
"""

import asyncio
from collections.abc import Iterable

from fastapi import FastAPI

# The asyncio servicer, grpc_health.v1.health.aio, which the type stubs do not declare.
from grpc_health.v1._async import HealthServicer
from grpc_health.v1.health_pb2 import HealthCheckResponse

from ..health.router import run_checks

__all__ = ["HealthServicer", "check_readiness", "watch_readiness"]


async def check_readiness(app: FastAPI, health: HealthServicer, services: Iterable[str]) -> None:
    """Set the server's and every service's status from one run of the readiness checks."""
    statuses = await run_checks(app.state.readiness_checks)
    ready = "error" not in statuses.values()
    status = HealthCheckResponse.SERVING if ready else HealthCheckResponse.NOT_SERVING
    for name in ("", *services):
        await health.set(name, status)


async def watch_readiness(
    app: FastAPI, health: HealthServicer, services: Iterable[str], every_seconds: float
) -> None:
    """Check readiness every ``every_seconds``, until cancelled."""
    while True:
        await asyncio.sleep(every_seconds)
        await check_readiness(app, health, services)
