"""The tables printed at the end, and the same figures as JSON."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from scripts.benchmark.measure import SATURATION_SHARE, TARGET_GRAPHQL_TO_REST, Comparison, Load, Saturation


@dataclass
class FrameworkResult:
    framework: str
    versions: dict[str, str]
    comparisons: list[Comparison] = field(default_factory=list)
    saturations: list[Saturation] = field(default_factory=list)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [header, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def _micros(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _name(comparison: Comparison | Saturation) -> str:
    return f"{comparison.endpoint.label} [{comparison.endpoint.render}]"


def comparison_table(result: FrameworkResult, load: Load) -> str:
    header = [
        "endpoint [render]",
        "X-Cache",
        "bare req/s",
        "app req/s",
        "p99 ms",
        "errors",
        "ratio",
        "target",
        "result",
        "CPU us/req: bare",
        "app",
    ]
    rows = [
        [
            _name(comparison),
            comparison.endpoint.x_cache or "-",
            f"{comparison.bare_rps:.0f}",
            f"{comparison.app_rps:.0f}",
            f"{comparison.p99_ms:.1f}",
            str(comparison.errors),
            f"{comparison.ratio:.2f}",
            f">= {comparison.endpoint.target:.2f}" if comparison.endpoint.target is not None else "-",
            comparison.verdict,
            _micros(comparison.bare_cpu_us),
            _micros(comparison.app_cpu_us),
        ]
        for comparison in result.comparisons
    ]
    versions = ", ".join(f"{name} {version}" for name, version in result.versions.items())
    title = (
        f"{result.framework} ({versions}): {load.connections} connections, {load.threads} threads, "
        f"median of {load.rounds} x {load.seconds} s rounds, ratio = app / bare app (paired by round); "
        "CPU us/req = server CPU time per request, steadier than req/s on a shared machine"
    )
    return f"{title}\n{_table(header, rows)}"


def graphql_share(result: FrameworkResult, rest_label: str, graphql_label: str) -> float | None:
    """The GraphQL page's throughput as a share of the REST page's, in the same render and run."""
    found = {
        comparison.endpoint.label: comparison
        for comparison in result.comparisons
        if comparison.endpoint.render == "cache"
    }
    if rest_label not in found or graphql_label not in found or not found[rest_label].app_rps:
        return None
    return found[graphql_label].app_rps / found[rest_label].app_rps


def graphql_line(result: FrameworkResult, rest_label: str, graphql_label: str) -> str:
    share = graphql_share(result, rest_label, graphql_label)
    if share is None:
        return f"{result.framework}: no GraphQL page was measured"
    verdict = "PASS" if share >= TARGET_GRAPHQL_TO_REST else "MISS"
    return (
        f"{result.framework}: {graphql_label} at {share:.2f} x the REST page's req/s in the same render "
        f"(goal >= {TARGET_GRAPHQL_TO_REST:.2f}): {verdict}"
    )


def saturation_table(result: FrameworkResult, load: Load, connections: int) -> str:
    header = [
        "endpoint [render]",
        f"req/s @{load.connections}",
        f"req/s @{connections}",
        "share",
        f"p99 ms @{connections}",
        f"errors @{connections}",
        "result",
    ]
    rows = [
        [
            _name(saturation),
            f"{saturation.baseline_rps:.0f}",
            f"{saturation.rps:.0f}",
            f"{saturation.share:.0%}",
            f"{saturation.p99_ms:.1f}",
            str(saturation.errors),
            saturation.verdict,
        ]
        for saturation in result.saturations
    ]
    title = (
        f"{result.framework} at {connections} connections: throughput must stay >= {SATURATION_SHARE:.0%} "
        f"of the {load.connections}-connection figure, with 0 errors"
    )
    table = f"{title}\n{_table(header, rows)}"
    if any(run.requests == 0 for saturation in result.saturations for run in saturation.runs):
        table += "\n(a run in which no request completed counts as a MISS; a longer --duration tells more)"
    return table


def as_json(results: list[FrameworkResult], load: Load, settings: dict[str, Any]) -> dict[str, Any]:
    def runs(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                **dataclasses.asdict(run),
                "rps": run.rps,
                "errors": run.errors,
                "cpu_us_per_request": run.cpu_us_per_request,
            }
            for run in items
        ]

    return {
        "load": {key: value for key, value in dataclasses.asdict(load).items() if key != "headers"},
        "settings": settings,
        "frameworks": {
            result.framework: {
                "versions": result.versions,
                "endpoints": [
                    {
                        **dataclasses.asdict(comparison.endpoint),
                        "bare_rps": comparison.bare_rps,
                        "app_rps": comparison.app_rps,
                        "ratio": comparison.ratio,
                        "p99_ms": comparison.p99_ms,
                        "bare_cpu_us_per_request": comparison.bare_cpu_us,
                        "app_cpu_us_per_request": comparison.app_cpu_us,
                        "errors": comparison.errors,
                        "result": comparison.verdict,
                        "bare_runs": runs(comparison.bare),
                        "app_runs": runs(comparison.app),
                    }
                    for comparison in result.comparisons
                ],
                "high_concurrency": [
                    {
                        "label": saturation.endpoint.label,
                        "render": saturation.endpoint.render,
                        "connections": saturation.connections,
                        "baseline_rps": saturation.baseline_rps,
                        "rps": saturation.rps,
                        "share": saturation.share,
                        "p99_ms": saturation.p99_ms,
                        "errors": saturation.errors,
                        "result": saturation.verdict,
                        "runs": runs(saturation.runs),
                    }
                    for saturation in result.saturations
                ],
            }
            for result in results
        },
    }
