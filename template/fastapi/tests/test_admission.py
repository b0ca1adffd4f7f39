"""At most MAX_CONCURRENT_REQUESTS API requests run at once; the rest wait, in arrival order."""

import asyncio
from collections.abc import Callable

import httpx
from fastapi import FastAPI

from tests.helpers import assert_problem, make_app, running, unique_client_ip

HELD = "/api/v1/test-held/{number}"


async def until(condition: Callable[[], bool]) -> None:
    """Let the other tasks run until ``condition`` holds (a bound on waiting, not a measurement)."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110  (the gate's counters have no event to await)
            await asyncio.sleep(0.001)


class HeldRoute:
    """An API route that records its caller's number and answers once the test releases it."""

    def __init__(self, app: FastAPI, count: int) -> None:
        self.entered: list[int] = []
        self.release = {number: asyncio.Event() for number in range(count)}

        @app.get(HELD)
        async def held(number: int) -> dict[str, int]:
            self.entered.append(number)
            await self.release[number].wait()
            return {"number": number}

    def has_entered(self, count: int) -> Callable[[], bool]:
        return lambda: len(self.entered) == count

    def release_all(self) -> None:
        for event in self.release.values():
            event.set()


async def send_in_order(
    client: httpx.AsyncClient, app: FastAPI, route: HeldRoute, count: int
) -> list[asyncio.Task[httpx.Response]]:
    """``count`` requests, each sent once the previous one is in the route or queued.

    In the route, not merely admitted: between the gate and the route a request still
    passes the rate limit (a Redis round trip with the cache task), so the next one could
    overtake it there.
    """
    gate = app.state.admission
    requests: list[asyncio.Task[httpx.Response]] = []
    for number in range(count):
        requests.append(asyncio.create_task(client.get(HELD.format(number=number))))
        await until(lambda: len(route.entered) + gate.waiting == len(requests))
    return requests


async def test_requests_past_the_limit_wait_and_are_admitted_in_arrival_order() -> None:
    app = make_app(max_concurrent_requests=2)
    route = HeldRoute(app, 5)
    gate = app.state.admission

    async with running(app, client_ip=unique_client_ip()) as client:
        requests = await send_in_order(client, app, route, 5)
        assert route.entered == [0, 1]
        assert (gate.active, gate.waiting) == (2, 3)

        for number in range(3):
            route.release[number].set()
            await until(route.has_entered(number + 3))
        assert route.entered == [0, 1, 2, 3, 4]

        route.release_all()
        responses = await asyncio.gather(*requests)

    assert [response.status_code for response in responses] == [200] * 5
    assert [response.json()["number"] for response in responses] == [0, 1, 2, 3, 4]
    assert (gate.active, gate.waiting) == (0, 0)


async def test_health_checks_are_answered_while_every_api_slot_is_taken() -> None:
    app = make_app(max_concurrent_requests=1)
    route = HeldRoute(app, 2)
    gate = app.state.admission

    async with running(app, client_ip=unique_client_ip()) as client:
        requests = await send_in_order(client, app, route, 2)
        assert (gate.active, gate.waiting) == (1, 1)

        live = await client.get("/health/live")

        route.release_all()
        await asyncio.gather(*requests)

    assert live.status_code == 200
    assert live.json() == {"status": "ok"}


async def test_a_request_that_waits_past_the_time_limit_is_a_503_and_never_runs() -> None:
    app = make_app(max_concurrent_requests=1, request_timeout_seconds=0.2)
    route = HeldRoute(app, 2)
    gate = app.state.admission

    async with running(app, client_ip=unique_client_ip()) as client:
        # The one slot is taken (as by a request of another client) for the whole wait.
        await gate.enter()
        timed_out = await client.get(HELD.format(number=0))
        assert (gate.active, gate.waiting) == (1, 0)
        gate.leave()

        route.release[1].set()
        admitted = await client.get(HELD.format(number=1))

    body = assert_problem(timed_out, 503)
    assert body["detail"] == "The request did not complete within 0.2 seconds."
    assert route.entered == [1]
    assert admitted.status_code == 200
    assert (gate.active, gate.waiting) == (0, 0)
