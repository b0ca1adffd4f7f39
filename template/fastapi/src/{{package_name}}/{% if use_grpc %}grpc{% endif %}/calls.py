"""What every call of the two services goes through, once: the gRPC twin of the HTTP middlewares.

The request id (``x-request-id`` metadata, echoed when valid, sent back in the initial
metadata of every call, errors included; a stream sends it once it is listening, so that a
client holding it misses no event), the rate limit (the REST windows, one hit per
call for the peer's IP), the deadline ceiling (REQUEST_TIMEOUT_SECONDS, however long the
client would wait), one access line per call, and the service's errors as status codes
(``status.py``): never a traceback to the client.

Each call gets a Starlette ``Request`` over a made-up HTTP scope holding the app and the
metadata as headers, so every helper that reads ``app.state`` (the caller, the caches, the
events publisher) works for it unchanged.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, NoReturn, TypeVar
from urllib.parse import unquote

import grpc
from fastapi import BackgroundTasks, FastAPI
from google.protobuf.message import Message
from grpc import aio
from starlette.requests import Request
from starlette.types import Scope

from ..core.errors import AppError
from ..core.limits import count_request
from ..core.logging import RequestContext, request_context
from ..core.middleware import incoming_request_id
from .status import INTERNAL_DETAIL, Status, status_of

logger = logging.getLogger(__name__)

RequestT = TypeVar("RequestT", bound=Message)
ResponseT = TypeVar("ResponseT", bound=Message)
ResultT = TypeVar("ResultT")
Context = aio.ServicerContext[Any, Any]


class Call:
    """One call, as the services see it: its request over the app, its after-commit tasks."""

    def __init__(
        self, request: Request, ready: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        self.request = request
        # Run once the call's work (its transaction included) is done: events, cache drops.
        self.after_commit = BackgroundTasks()
        self._ready = ready

    async def ready(self) -> None:
        """A stream's handler says it is listening: its initial metadata goes out now."""
        if self._ready is not None:
            await self._ready()


class RateLimitedError(AppError):
    def __init__(self, limit: int, reset_seconds: int) -> None:
        super().__init__(
            "rate_limited",
            f"More than {limit} requests a minute; retry after the retry-after delay.",
            status=429,
            headers={"Retry-After": str(reset_seconds)},
        )


def _client(peer: str) -> tuple[str, int]:
    """The address of ``ipv4:1.2.3.4:5``, ``ipv6:%5B::1%5D:5`` (gRPC's peer names)."""
    kind, _, address = unquote(peer).partition(":")
    host, _, port = address.rpartition(":")
    if kind not in {"ipv4", "ipv6"}:
        return "unknown", 0
    return host.strip("[]"), int(port) if port.isdigit() else 0


def _scope(app: FastAPI, rpc: str, context: Context) -> Scope:
    headers = [
        # gRPC restricts these to printable ASCII; anything else cannot be a valid value.
        (key.encode("latin-1", "replace"), value.encode("latin-1", "replace"))
        for key, value in context.invocation_metadata() or ()
        if isinstance(value, str)
    ]
    return {
        "type": "http",
        "app": app,
        "method": "POST",
        "path": rpc,
        "raw_path": rpc.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": _client(context.peer()),
        "http_version": "2",
        "scheme": "http",
        "state": {},
    }


class Calls:
    """Wraps each method of the services; ``unary`` and ``stream`` give their handlers."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.ceiling: float = app.state.settings.request_timeout_seconds
        self.limit: int = app.state.settings.rate_limit_per_minute
        # Calls under way, streams included; set while there are none (what a shutdown waits
        # for, once its hooks have ended the streams: a stream's status must be sent before
        # the server cancels what is left, or its client reads "Cancelling all calls").
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def drained(self) -> None:
        """Return once no call is under way (streams end only when something ends them)."""
        await self._idle.wait()

    @contextlib.contextmanager
    def _counted(self) -> Iterator[None]:
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    def unary(
        self,
        rpc: str,
        request_type: type[RequestT],
        method: Callable[[RequestT, Call], Awaitable[ResponseT]],
    ) -> "grpc.RpcMethodHandler[Any, Any]":
        async def handle(request: RequestT, context: Context) -> ResponseT:
            return await self._run(rpc, context, lambda call: method(request, call))

        return grpc.unary_unary_rpc_method_handler(
            handle,
            request_deserializer=request_type.FromString,
            response_serializer=_serialize,
        )

    def stream(
        self,
        rpc: str,
        request_type: type[RequestT],
        method: Callable[[RequestT, Call], AsyncIterator[ResponseT]],
    ) -> "grpc.RpcMethodHandler[Any, Any]":
        async def handle(request: RequestT, context: Context) -> AsyncIterator[ResponseT]:
            # A stream lives as long as its client wants: no ceiling, one access line at its end.
            with self._counted():
                flight = await self._begin(rpc, context, announce=False)
                try:
                    call = await self._admit(flight, ready=lambda: flight.announce(context))
                    if call is None:
                        await flight.abort(context)
                    async for message in method(request, call):
                        yield message
                    await flight.announce(context)
                except (aio.AbortError, asyncio.CancelledError, GeneratorExit):
                    flight.stopped(context)
                    raise
                except Exception as error:  # noqa: BLE001  (each error is answered by its status)
                    await flight.fail(error, context)
                finally:
                    flight.end()

        return grpc.unary_stream_rpc_method_handler(
            handle,
            request_deserializer=request_type.FromString,
            response_serializer=_serialize,
        )

    async def _run(
        self, rpc: str, context: Context, work: Callable[[Call], Awaitable[ResultT]]
    ) -> ResultT:
        with self._counted():
            return await self._run_counted(rpc, context, work)

    async def _run_counted(
        self, rpc: str, context: Context, work: Callable[[Call], Awaitable[ResultT]]
    ) -> ResultT:
        flight = await self._begin(rpc, context)
        try:
            async with flight.deadline:
                call = await self._admit(flight)
                if call is None:
                    await flight.abort(context)
                result = await work(call)
                await _run_after_commit(call)
                return result
        except (aio.AbortError, asyncio.CancelledError):
            flight.stopped(context)
            raise
        except Exception as error:  # noqa: BLE001  (each error is answered by its status)
            await flight.fail(error, context)
        finally:
            flight.end()

    async def _begin(self, rpc: str, context: Context, *, announce: bool = True) -> "_Flight":
        scope = _scope(self.app, rpc, context)
        request_id = incoming_request_id(scope) or str(uuid.uuid4())
        flight = _Flight(rpc, scope, request_id, self.ceiling)
        if announce:
            # First of all, so that every answer carries it, errors included.
            await flight.announce(context)
        return flight

    async def _admit(
        self, flight: "_Flight", ready: Callable[[], Awaitable[None]] | None = None
    ) -> Call | None:
        """The call, counted in its client's window; None (and the status set) over the limit."""
        window = await count_request(flight.scope, self.app.state.counter_errors)
        if window is not None and window.hits > self.limit:
            flight.status = status_of(RateLimitedError(self.limit, window.reset_seconds))
            return None
        return Call(Request(flight.scope), ready)


def _serialize(message: Message) -> bytes:
    return message.SerializeToString()


async def _run_after_commit(call: Call) -> None:
    try:
        await call.after_commit()
    except Exception:
        # The change is committed: its answer stands; a lost event or cache drop is logged.
        logger.exception("after-commit task failed")


class _Flight:
    """One call from its first byte to its access line."""

    def __init__(self, rpc: str, scope: Scope, request_id: str, ceiling: float) -> None:
        self.rpc = rpc
        self.scope = scope
        self.ceiling = ceiling
        self.deadline = asyncio.timeout(ceiling)
        self.status = Status(grpc.StatusCode.OK, "")
        self.context = RequestContext(request_id)
        self.token = request_context.set(self.context)
        self.began = time.perf_counter()
        self.announced = False
        self.ended = False

    async def announce(self, context: Context) -> None:
        """Send the initial metadata (the request id), once."""
        if not self.announced:
            self.announced = True
            await context.send_initial_metadata((("x-request-id", self.context.request_id),))

    async def abort(self, context: Context) -> NoReturn:
        await self.announce(context)
        # The access line before the status: its client may act on the status (and read the
        # log) before this coroutine runs again.
        self.end()
        await context.abort(self.status.code, self.status.details, self.status.trailers)

    def stopped(self, context: Context) -> None:
        """The call ended without an answer of ours: aborted, cancelled or past its deadline."""
        if self.status.code is not grpc.StatusCode.OK:
            return  # aborted with this status
        remaining = context.time_remaining()
        expired = remaining is not None and remaining <= 0
        code = grpc.StatusCode.DEADLINE_EXCEEDED if expired else grpc.StatusCode.CANCELLED
        self.status = Status(code, "")

    async def fail(self, error: Exception, context: Context) -> NoReturn:
        """Answer ``error`` with its status."""
        self.status = self._status_of(error)
        await self.abort(context)

    def _status_of(self, error: Exception) -> Status:
        if isinstance(error, AppError):
            if error.log_level is not None:
                cause = error.__cause__ or error.__context__
                extra = {"code": error.code, "cause": repr(cause)}
                logger.log(error.log_level, error.detail, extra=extra)
            return status_of(error)
        if isinstance(error, TimeoutError) and self.deadline.expired():
            logger.error("call timed out", extra={"timeout_s": self.ceiling})
            detail = f"The call did not complete within {self.ceiling:g} seconds."
            return Status(grpc.StatusCode.DEADLINE_EXCEEDED, detail)
        # The traceback goes to the log only; the client gets the request id to quote.
        logger.error("unhandled error", exc_info=error)
        return Status(grpc.StatusCode.INTERNAL, INTERNAL_DETAIL)

    def end(self) -> None:
        """Write the access line and leave the request context, once."""
        if self.ended:
            return
        self.ended = True
        fields: dict[str, object] = {
            "rpc": self.rpc,
            "code": self.status.code.name,
            "duration_ms": round((time.perf_counter() - self.began) * 1000, 3),
        }
        if self.context.user_id is not None:
            fields["user_id"] = self.context.user_id
        logger.info("rpc", extra=fields)
        request_context.reset(self.token)
