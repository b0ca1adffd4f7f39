from collections.abc import AsyncIterator

from tests.helpers import assert_problem, make_app, running, unique_client_ip

ONE_MIB = 1024 * 1024
# No such route, so no storage is touched; it is still under /api/v1, so it is limited.
API_PATH = "/api/v1/no-such-route"


async def test_body_over_one_mib_is_a_413_problem_from_content_length() -> None:
    async with running(make_app()) as client:
        response = await client.post(
            "/api/v1/users",
            content=b"x" * (ONE_MIB + 1),
            headers={"content-type": "application/json"},
        )
    body = assert_problem(response, 413)
    assert body["title"] == "Content Too Large"


async def test_streamed_body_over_one_mib_is_stopped_at_the_limit() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(64):
            yield b" " * (64 * 1024)

    async with running(make_app()) as client:
        response = await client.post(
            "/api/v1/users", content=chunks(), headers={"content-type": "application/json"}
        )
    assert "content-length" not in response.request.headers
    body = assert_problem(response, 413)
    assert body["title"] == "Content Too Large"


async def test_body_of_exactly_one_mib_is_read() -> None:
    async with running(make_app()) as client:
        response = await client.post(
            "/api/v1/users", content=b" " * ONE_MIB, headers={"content-type": "application/json"}
        )
    # Read whole, then found not to be JSON: a 422, not a 413.
    assert_problem(response, 422)


async def test_api_responses_carry_rate_limit_headers() -> None:
    async with running(make_app(rate_limit_per_minute=5), client_ip=unique_client_ip()) as client:
        first = await client.get(API_PATH)
        second = await client.get(API_PATH)
    assert first.headers["RateLimit-Limit"] == "5"
    assert first.headers["RateLimit-Remaining"] == "4"
    assert second.headers["RateLimit-Remaining"] == "3"
    assert 1 <= int(first.headers["RateLimit-Reset"]) <= 60


async def test_requests_over_the_limit_are_a_429_problem_with_retry_after() -> None:
    async with running(make_app(rate_limit_per_minute=3), client_ip=unique_client_ip()) as client:
        statuses = [(await client.get(API_PATH)).status_code for _ in range(3)]
        limited = await client.get(API_PATH)
    assert statuses == [404, 404, 404]
    assert_problem(limited, 429)
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.headers["RateLimit-Remaining"] == "0"
    assert "x-request-id" in limited.headers


async def test_each_client_address_has_its_own_limit() -> None:
    app = make_app(rate_limit_per_minute=1)
    async with running(app, client_ip=unique_client_ip()) as first:
        await first.get(API_PATH)
        limited = await first.get(API_PATH)
    async with running(app, client_ip=unique_client_ip()) as second:
        other = await second.get(API_PATH)
    assert limited.status_code == 429
    assert other.status_code == 404


async def test_health_endpoints_are_not_limited() -> None:
    async with running(make_app(rate_limit_per_minute=1), client_ip=unique_client_ip()) as client:
        responses = [await client.get("/health/live") for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert "RateLimit-Limit" not in responses[0].headers
