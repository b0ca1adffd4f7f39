"""The command line of scripts/bench.py: what to measure, for how long, on which ports."""

from __future__ import annotations

import argparse
from pathlib import Path

DESCRIPTION = 'Throughput of rendered projects next to a bare app of their framework (README "Benchmarks").'


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _port_range(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit() and 1024 <= int(first) <= int(last) <= 65535):
        raise argparse.ArgumentTypeError("must look like 57400-57499")
    return int(first), int(last)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench.py", description=DESCRIPTION)
    parser.add_argument("--framework", choices=["fastapi", "express", "both"], default="both")
    parser.add_argument("--duration", type=_positive, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--rounds", type=_positive, default=3, help="bare/app pairs per endpoint (default 3)")
    parser.add_argument("--connections", type=_positive, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=_positive, default=2, help="wrk threads (default 2)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per server and endpoint (default 2)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--ports", type=_port_range, metavar="FIRST-LAST", help="serve only on ports of this range")
    arguments = parser.parse_args(argv)
    if arguments.connections < arguments.threads:
        parser.error("--connections must be at least --threads (wrk gives each thread its connections)")
    return arguments
