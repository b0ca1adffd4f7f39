"""The framework-agnostic HTTP contract (DESIGN.md §3), run against a live server.

CONTRACT_BASE_URL names the server (for example http://127.0.0.1:8000). The
template's generated-project tests boot each render and run this suite against
it; run it by hand with:

    CONTRACT_BASE_URL=http://127.0.0.1:8000 .venv/bin/pytest tests/contract
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("CONTRACT_BASE_URL")
    if not url:
        pytest.fail("CONTRACT_BASE_URL is not set: point it at a running generated service.")
    return url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as session:
        yield session
