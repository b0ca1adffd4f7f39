"""A/B rounds (bare app, project, bare app, project ...) and the high-concurrency rerun."""

from __future__ import annotations

import dataclasses
import statistics
from dataclasses import dataclass, field

from scripts.benchmark.processes import Server
from scripts.benchmark.wrk import Shape, WrkRun, run_wrk

# A share of the bare app's throughput each kind of endpoint must reach.
TARGET_CACHED_READ = 0.5
TARGET_ME = 0.25
TARGET_PAGE = 0.15
# The GraphQL page of posts with authors against the REST page of the same render.
TARGET_GRAPHQL_TO_REST = 0.7
# Under 256 connections, throughput must keep this share of the 32-connection figure.
SATURATION_SHARE = 0.9


@dataclass(frozen=True)
class Load:
    threads: int
    connections: int
    seconds: int
    warmup_seconds: int
    rounds: int
    headers: dict[str, str]


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    render: str
    target: float | None
    # Also run at the high connection count.
    saturate: bool
    x_cache: str | None = None
    # A JSON body to POST instead of a GET (a GraphQL operation).
    body: str | None = None


@dataclass
class Comparison:
    endpoint: Endpoint
    bare: list[WrkRun] = field(default_factory=list)
    app: list[WrkRun] = field(default_factory=list)

    @property
    def bare_rps(self) -> float:
        return statistics.median(run.rps for run in self.bare)

    @property
    def app_rps(self) -> float:
        return statistics.median(run.rps for run in self.app)

    @property
    def ratio(self) -> float:
        # Paired by round: each pair ran back to back, under the same background load.
        return statistics.median(
            app.rps / bare.rps if bare.rps else 0.0 for bare, app in zip(self.bare, self.app, strict=True)
        )

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.p99_ms for run in self.app)

    @property
    def bare_cpu_us(self) -> float | None:
        return _median_cpu(self.bare)

    @property
    def app_cpu_us(self) -> float | None:
        return _median_cpu(self.app)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.app)

    @property
    def verdict(self) -> str:
        if self.endpoint.target is None:
            return "-"
        return "PASS" if self.ratio >= self.endpoint.target else "MISS"


@dataclass
class Saturation:
    endpoint: Endpoint
    baseline_rps: float
    connections: int
    runs: list[WrkRun] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(run.rps for run in self.runs)

    @property
    def share(self) -> float:
        return self.rps / self.baseline_rps if self.baseline_rps else 0.0

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)

    @property
    def verdict(self) -> str:
        return "PASS" if self.share >= SATURATION_SHARE and self.errors == 0 else "MISS"


def _median_cpu(runs: list[WrkRun]) -> float | None:
    values = [run.cpu_us_per_request for run in runs if run.cpu_us_per_request is not None]
    return statistics.median(values) if values else None


def _load(
    load: Load, server: Server, endpoint: Endpoint | None, seconds: int, connections: int | None = None
) -> WrkRun:
    """One wrk run against ``endpoint`` of ``server`` (None: the bare app's ``/``)."""
    before = server.cpu_seconds()
    run = run_wrk(
        server.url + (endpoint.path if endpoint else "/"),
        Shape(connections or load.connections, load.threads, seconds),
        headers=load.headers,
        body=endpoint.body if endpoint else None,
    )
    after = server.cpu_seconds()
    if before is None or after is None:
        return run
    return dataclasses.replace(run, server_cpu_seconds=after - before)


def compare(load: Load, endpoint: Endpoint, bare: Server, app: Server) -> Comparison:
    """Warm both up, then alternate bare and project runs for ``load.rounds`` rounds."""
    if load.warmup_seconds:
        _load(load, bare, None, load.warmup_seconds)
        _load(load, app, endpoint, load.warmup_seconds)
    comparison = Comparison(endpoint)
    for round_number in range(1, load.rounds + 1):
        comparison.bare.append(_load(load, bare, None, load.seconds))
        comparison.app.append(_load(load, app, endpoint, load.seconds))
        bare_run, app_run = comparison.bare[-1], comparison.app[-1]
        print(
            f"    round {round_number}/{load.rounds}: bare {bare_run.rps:8.0f} req/s | "
            f"app {app_run.rps:8.0f} req/s, p99 {app_run.p99_ms:.1f} ms, {app_run.errors} errors",
            flush=True,
        )
    return comparison


def saturate(load: Load, comparison: Comparison, app: Server, connections: int) -> Saturation:
    """The project alone at ``connections``, against its own figure at ``load.connections``."""
    endpoint = comparison.endpoint
    if load.warmup_seconds:
        _load(load, app, endpoint, load.warmup_seconds, connections)
    saturation = Saturation(endpoint, comparison.app_rps, connections)
    for round_number in range(1, load.rounds + 1):
        saturation.runs.append(_load(load, app, endpoint, load.seconds, connections))
        run = saturation.runs[-1]
        print(
            f"    round {round_number}/{load.rounds} at {connections} connections: {run.rps:8.0f} req/s, "
            f"p99 {run.p99_ms:.1f} ms, {run.errors} errors",
            flush=True,
        )
    return saturation
