"""The skill's contract, read from the front matter of SKILL.md.

The runner takes its schemas, retry policy and budget from the same YAML that
agents read, so the document cannot promise what the runner does not do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from skill import SKILL_MD

FENCE = "---"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    initial_delay: float  # seconds
    multiplier: float
    jitter: float  # each pause is stretched by up to this fraction, at random

    def delay(self, failures: int, draw: float) -> float:
        """The pause after the ``failures``-th failed attempt; ``draw`` is uniform in [0, 1)."""
        return self.initial_delay * self.multiplier ** (failures - 1) * (1 + self.jitter * draw)


@dataclass(frozen=True)
class Spec:
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    error_schema: dict[str, Any]
    retry: RetryPolicy
    timeout: float  # seconds

    @property
    def timeout_ms(self) -> int:
        return round(self.timeout * 1000)


def front_matter(path: Path = SKILL_MD) -> dict[str, Any]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != FENCE or FENCE not in lines[1:]:
        raise ValueError(f"{path} does not start with a '---' fenced YAML front matter")
    end = lines.index(FENCE, 1)
    matter = yaml.safe_load("\n".join(lines[1:end]))
    if not isinstance(matter, dict):
        raise TypeError(f"{path}: the front matter is not a mapping")
    return matter


@cache
def load_spec(path: Path = SKILL_MD) -> Spec:
    matter = front_matter(path)
    retry = matter["retry_config"]
    if retry["backoff"] != "exponential":
        raise ValueError(f"{path}: only exponential backoff is implemented, not {retry['backoff']!r}")
    return Spec(
        input_schema=matter["input_schema"],
        output_schema=matter["output_schema"],
        error_schema=matter["error_schema"],
        retry=RetryPolicy(
            max_attempts=int(retry["max_attempts"]),
            initial_delay=float(retry["initial_delay_ms"]) / 1000,
            multiplier=float(retry["multiplier"]),
            jitter=float(retry["jitter"]),
        ),
        timeout=float(matter["timeout_ms"]) / 1000,
    )
