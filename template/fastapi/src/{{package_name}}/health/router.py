"""Liveness and readiness probes.

Readiness runs the checks that the lifespan registered (one per dependency: database,
redis) concurrently, each bounded by a timeout so a dead dependency never hangs the probe.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

ReadinessCheck = Callable[[], Awaitable[object]]
CheckStatus = Literal["ok", "error"]

CHECK_TIMEOUT_SECONDS = 2.0

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/health", tags=["health"])


class LivenessPublic(BaseModel):
    status: Literal["ok"]


class ReadinessPublic(BaseModel):
    status: CheckStatus
    checks: dict[str, CheckStatus]


@router.get("/live")
async def live() -> LivenessPublic:
    """The process is up and serving requests."""
    return LivenessPublic(status="ok")


@router.get("/ready", responses={503: {"model": ReadinessPublic}})
async def ready(request: Request, response: Response) -> ReadinessPublic:
    """Every dependency answers within the timeout; 503 names the one that does not."""
    statuses = await run_checks(request.app.state.readiness_checks)
    if "error" in statuses.values():
        response.status_code = 503
        return ReadinessPublic(status="error", checks=statuses)
    return ReadinessPublic(status="ok", checks=statuses)


async def run_checks(checks: Mapping[str, ReadinessCheck]) -> dict[str, CheckStatus]:
    """Each check's status, the checks running concurrently."""
    results = await asyncio.gather(*(_run(name, check) for name, check in checks.items()))
    return dict(zip(checks, results, strict=True))


async def _run(name: str, check: ReadinessCheck) -> CheckStatus:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await check()
    except Exception as exc:  # noqa: BLE001  (any failure means "not ready"; it is logged)
        logger.warning(
            "readiness check failed", extra={"check": name, "error": repr(exc.__cause__ or exc)}
        )
        return "error"
    return "ok"
