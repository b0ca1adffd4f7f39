"""A gRPC load generator: many unary calls in flight over several channels, for a few seconds.

Run in a process of its own (the benchmark starts it, as wrk is for HTTP): it sends one
request's bytes again and again and reads each answer as bytes, so the client's cost per
call stays small. Prints one JSON line: calls, errors by status code, latency percentiles.

    python -m scripts.benchmark.grpc_load TARGET METHOD REQUEST_HEX SECONDS CONCURRENCY CHANNELS [TOKEN]
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import grpc
from grpc import aio


def _identity(data: bytes) -> bytes:
    return data


@dataclass(frozen=True)
class Plan:
    target: str  # host:port
    method: str  # /package.Service/Method
    request: bytes  # the serialized request, sent as it is
    seconds: float
    concurrency: int  # calls in flight
    channels: int  # HTTP/2 connections they share
    token: str | None


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


async def _worker(plan: Plan, call: aio.UnaryUnaryMultiCallable, deadline: float, tally: Tally) -> None:
    metadata = (("authorization", f"Bearer {plan.token}"),) if plan.token else ()
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            await call(plan.request, metadata=metadata, timeout=5)
        except grpc.RpcError as error:  # aio errors carry their status code
            tally.errors[str(error.code())] += 1
            continue
        tally.latencies.append(time.perf_counter() - started)


async def drive(plan: Plan) -> dict[str, object]:
    metadata = (("authorization", f"Bearer {plan.token}"),) if plan.token else ()
    opened = [aio.insecure_channel(plan.target) for _ in range(plan.channels)]
    tally = Tally()
    try:
        calls = [
            channel.unary_unary(plan.method, request_serializer=_identity, response_deserializer=_identity)
            for channel in opened
        ]
        # Warm up: every channel connected, every code path taken once.
        await asyncio.gather(*(call(plan.request, metadata=metadata, timeout=10) for call in calls))
        started = time.monotonic()
        deadline = started + plan.seconds
        await asyncio.gather(
            *(_worker(plan, calls[index % plan.channels], deadline, tally) for index in range(plan.concurrency))
        )
        elapsed = time.monotonic() - started
    finally:
        await asyncio.gather(*(channel.close() for channel in opened))
    latencies = sorted(tally.latencies)

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000 if latencies else 0.0

    return {
        "calls": len(latencies),
        "seconds": elapsed,
        "errors": dict(tally.errors),
        "p50_ms": percentile(0.5),
        "p99_ms": percentile(0.99),
    }


def main(argv: list[str]) -> int:
    target, method, request_hex, seconds, concurrency, channels, *token = argv
    plan = Plan(
        target,
        method,
        bytes.fromhex(request_hex),
        float(seconds),
        int(concurrency),
        int(channels),
        token[0] if token else None,
    )
    result = asyncio.run(drive(plan))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
