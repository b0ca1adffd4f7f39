from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.grpc.client import Client, connected


@pytest.fixture
async def rpc(app: FastAPI, api: httpx.AsyncClient) -> AsyncIterator[Client]:
    """A gRPC client of ``api``'s app, whose users and posts start empty."""
    del api  # requested for its effect: the app runs, its storage empty
    async with connected(app) as client:
        yield client
