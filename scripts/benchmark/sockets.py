"""The load of scripts/bench_websocket.py: many sockets on one server process, a writer posting
at a fixed interval, and what the sockets receive.

Every socket counts the frames it receives; a sample of them also parses each event and
takes its latency: from the event's ``occurred_at`` (stamped by the service as it makes
the write) to the moment the client reads it, both on this machine's clock.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

PATH = "/ws/v1/events"
OPEN_CONCURRENCY = 100
SETTLE_SECONDS = 1.0
DRAIN_SECONDS = 10.0


@dataclass
class Socket:
    connection: ClientConnection
    sampled: bool
    received: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    closed_with: int | None = None


@dataclass
class SocketRun:
    """One run's figures (README "Benchmarks")."""

    clients: int
    opened: int
    refused: int
    rss_before_kib: int
    rss_after_kib: int
    posts: int
    posting_seconds: float
    expected: int
    delivered: int
    lost: int
    closed: dict[int, int]
    latencies_ms: list[float]

    @property
    def kib_per_socket(self) -> float:
        return (self.rss_after_kib - self.rss_before_kib) / max(self.opened, 1)

    def percentile(self, share: float) -> float | None:
        if not self.latencies_ms:
            return None
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[round(share * 100) - 1]


def rss_kib(pid: int) -> int:
    """The resident memory of process ``pid`` (Linux /proc), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def _latency_ms(text: str | bytes) -> float:
    occurred = json.loads(text)["occurred_at"]
    return (time.time() - datetime.fromisoformat(occurred).timestamp()) * 1000


async def _receive(socket: Socket) -> None:
    try:
        async for text in socket.connection:
            socket.received += 1
            if socket.sampled:
                socket.latencies_ms.append(_latency_ms(text))
    except ConnectionClosed:
        pass
    received = socket.connection.close_code
    socket.closed_with = received


async def _open(url: str, headers: dict[str, str], gate: asyncio.Semaphore) -> ClientConnection | None:
    async with gate:
        try:
            return await connect(
                url,
                subprotocols=[Subprotocol("events.v1")],
                additional_headers=headers,
                ping_interval=None,
                max_queue=None,
                open_timeout=60,
            )
        except InvalidStatus:
            return None


async def _write(base_url: str, headers: dict[str, str], seconds: float, interval: float) -> tuple[int, float]:
    """POST a post every ``interval`` for ``seconds`` (as fast as answered when behind)."""
    posts = 0
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        began = time.monotonic()
        while (now := time.monotonic()) - began < seconds:
            answer = await client.post("/api/v1/posts", json={"title": f"Live {posts}", "body": "Text."})
            if answer.status_code != 201:
                raise RuntimeError(f"POST /api/v1/posts answered {answer.status_code}: {answer.text}")
            posts += 1
            await asyncio.sleep(max(0.0, began + posts * interval - time.monotonic()))
        return posts, now - began


@dataclass(frozen=True)
class Shape:
    clients: int
    seconds: float  # of posting
    interval: float  # seconds between two posts
    sample: int  # sockets whose latencies are taken


async def run_sockets(base_url: str, token: str, pid: int, shape: Shape) -> SocketRun:
    clients, seconds, interval, sample = shape.clients, shape.seconds, shape.interval, shape.sample
    headers = {"Authorization": f"Bearer {token}"}
    url = base_url.replace("http://", "ws://", 1) + PATH
    before = rss_kib(pid)
    gate = asyncio.Semaphore(OPEN_CONCURRENCY)
    opened = await asyncio.gather(*(_open(url, headers, gate) for _ in range(clients)))
    every = max(1, clients // max(sample, 1))
    sockets = [Socket(connection, index % every == 0) for index, connection in enumerate(c for c in opened if c)]
    await asyncio.sleep(SETTLE_SECONDS)
    after = rss_kib(pid)
    readers = [asyncio.create_task(_receive(socket)) for socket in sockets]
    posts, posting_seconds = await _write(base_url, headers, seconds, interval)
    # Until every open socket has every event, or the drain time is over.
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline and any(s.received < posts and s.closed_with is None for s in sockets):  # noqa: ASYNC110  (counters the readers bump, polled)
        await asyncio.sleep(0.1)
    for socket in sockets:
        await socket.connection.close()
    await asyncio.gather(*readers)
    # A socket the server closed (1013: too slow for its queue) stops counting there.
    closed = Counter(s.closed_with for s in sockets if s.closed_with not in (None, 1000))
    still_open = [s for s in sockets if s.closed_with in (None, 1000)]
    expected = posts * len(still_open)
    delivered = sum(min(s.received, posts) for s in still_open)
    return SocketRun(
        clients=clients,
        opened=len(sockets),
        refused=clients - len(sockets),
        rss_before_kib=before,
        rss_after_kib=after,
        posts=posts,
        posting_seconds=posting_seconds,
        expected=expected,
        delivered=delivered,
        lost=expected - delivered,
        closed={int(code): count for code, count in closed.items() if code is not None},
        latencies_ms=[latency for s in sockets for latency in s.latencies_ms],
    )
