"""Admission: at most MAX_CONCURRENT_REQUESTS API requests run at once; later ones queue.

Without a gate, every request accepted under load starts at once and all of them contend
for the CPU and for the connection pools (the database, Redis) where the service has them.
Each then costs more CPU, and those pools do not serve their waiters in order, so the
unlucky ones wait for seconds. Here the requests past the
limit wait before doing any work, in arrival order: asyncio.Semaphore hands a freed slot
to its oldest waiter. The wait counts against REQUEST_TIMEOUT_SECONDS, because the request
middleware's deadline wraps this one.
"""

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class AdmissionGate:
    """The slots of one process; ``active`` and ``waiting`` say how they are used."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0
        self.waiting = 0
        self._slots = asyncio.Semaphore(limit)

    async def enter(self) -> None:
        if self._slots.locked():
            self.waiting += 1
            try:
                await self._slots.acquire()
            finally:
                # Also when the deadline cancels the wait: the semaphore then keeps no slot.
                self.waiting -= 1
        else:
            await self._slots.acquire()
        self.active += 1

    def leave(self) -> None:
        self.active -= 1
        self._slots.release()


class AdmissionMiddleware:
    """Runs requests under ``path_prefix`` through ``app.state.admission``; others pass.

    Health checks and the API documents are never queued behind API traffic.
    """

    def __init__(self, app: ASGIApp, *, path_prefix: str | tuple[str, ...]) -> None:
        self.app = app
        self.path_prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        gate: AdmissionGate = scope["app"].state.admission
        await gate.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            gate.leave()
