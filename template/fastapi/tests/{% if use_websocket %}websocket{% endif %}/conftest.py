from collections.abc import AsyncIterator

import pytest

from tests.websocket.live import Live, serving

# Tiny limits, so that the tests reach them with a few sockets and events.
MAX_CONNECTIONS = 2
ALLOWED_ORIGIN = "https://app.example"


@pytest.fixture
async def live(
    storage: None,  # noqa: ARG001  (requested for its effect: storage is ready)
) -> AsyncIterator[Live]:
    async with serving(ws_max_connections=MAX_CONNECTIONS, cors_origins=[ALLOWED_ORIGIN]) as live:
        yield live
