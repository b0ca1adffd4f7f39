"""RateLimit headers on every /api/v1 response, and the 413 that shares them (DESIGN §3).

The runner lifts the limit (RATE_LIMIT_PER_MINUTE=1000000) so that this suite is never
limited: the 429 itself, at a low limit, is checked by each project's own tests.
"""

from __future__ import annotations

import httpx

from contract.problems import assert_problem

# No such route, so no storage is touched; it is still under /api/v1, so it is limited.
API_PATH = "/api/v1/no-such-route"
ONE_MIB = 1024 * 1024


def window(response: httpx.Response) -> tuple[int, int, int]:
    """RateLimit-Limit, -Remaining and -Reset, each a non-negative integer."""
    values = [response.headers[f"ratelimit-{name}"] for name in ("limit", "remaining", "reset")]
    assert all(value.isdigit() for value in values), values
    limit, remaining, reset = (int(value) for value in values)
    return limit, remaining, reset


def test_api_responses_carry_rate_limit_headers(client: httpx.Client) -> None:
    limit, remaining, reset = window(client.get(API_PATH))

    assert limit >= 1
    assert 0 <= remaining < limit
    assert 1 <= reset <= 60


def test_each_request_counts_down_the_remaining_requests(client: httpx.Client) -> None:
    limit, before, reset_before = window(client.get(API_PATH))
    _, after, reset_after = window(client.get(API_PATH))

    if reset_after > reset_before:
        # The fixed window ended between the two requests: the second opened a new one.
        assert after == limit - 1
    else:
        assert after == before - 1


def test_health_probes_are_not_rate_limited(client: httpx.Client) -> None:
    response = client.get("/health/live")

    assert response.status_code == 200
    assert "ratelimit-limit" not in response.headers


def test_a_body_over_one_mib_is_a_413_problem_with_the_api_headers(client: httpx.Client) -> None:
    response = client.post("/api/v1/users", content=b" " * (ONE_MIB + 1), headers={"Content-Type": "application/json"})

    body = assert_problem(response, 413, "Content Too Large")
    assert body["detail"] == "The request body is larger than 1 MiB."
    window(response)
    assert response.headers["x-request-id"]
    assert response.headers["x-content-type-options"] == "nosniff"
