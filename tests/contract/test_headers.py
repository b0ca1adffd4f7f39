from __future__ import annotations

import uuid

import httpx
import pytest

from contract.problems import assert_problem


def test_a_valid_request_id_is_echoed(client: httpx.Client) -> None:
    response = client.get("/health/live", headers={"X-Request-ID": "abc-123.def_456"})
    assert response.headers["x-request-id"] == "abc-123.def_456"


def test_a_request_id_is_generated_when_missing(client: httpx.Client) -> None:
    first = client.get("/health/live").headers["x-request-id"]
    second = client.get("/health/live").headers["x-request-id"]
    assert uuid.UUID(first).version == 4
    assert first != second


@pytest.mark.parametrize("bad", ["x" * 129, "has space", "semi;colon", ""])
def test_an_invalid_request_id_is_replaced(client: httpx.Client, bad: str) -> None:
    response = client.get("/health/live", headers={"X-Request-ID": bad})
    assert uuid.UUID(response.headers["x-request-id"]).version == 4


@pytest.mark.parametrize("path", ["/health/live", "/api/v1/no-such-route"])
def test_security_headers_are_on_every_response(client: httpx.Client, path: str) -> None:
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in headers, "HSTS is opt-in by setting"


# Every response header a browser script needs, in the order both frameworks send them.
EXPOSED_HEADERS = (
    "X-Request-ID, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Location, ETag, X-Cache"
)


def test_cors_lets_an_allowed_origin_read_the_service_headers(client: httpx.Client, cors_origin: str) -> None:
    response = client.get("/health/live", headers={"Origin": cors_origin})
    assert response.headers["access-control-allow-origin"] == cors_origin
    assert response.headers["access-control-expose-headers"] == EXPOSED_HEADERS
    assert "Origin" in response.headers["vary"]


# A preflight asks for a method and headers; both services answer 204 without a body,
# and only an allowed origin gets Access-Control-Allow-Origin (the browser refuses the rest).
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, authorization"}


def test_cors_preflight_from_an_allowed_origin_is_204_without_a_body(client: httpx.Client, cors_origin: str) -> None:
    response = client.options("/api/v1/users", headers={"Origin": cors_origin, **PREFLIGHT})
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == cors_origin
    assert response.headers["access-control-allow-methods"] == "GET, HEAD, POST, PATCH, DELETE"
    assert response.headers["access-control-allow-headers"] == "content-type, authorization"
    assert response.headers["access-control-max-age"] == "600"
    assert response.headers["access-control-expose-headers"] == EXPOSED_HEADERS
    assert response.headers["vary"] == "Origin, Access-Control-Request-Headers"
    assert "x-request-id" in response.headers
    assert "ratelimit-limit" not in response.headers, "a preflight is not counted against the rate limit"


def test_cors_preflight_from_another_origin_is_204_without_allow_origin(client: httpx.Client, cors_origin: str) -> None:
    other = "https://not-" + cors_origin.removeprefix("https://").removeprefix("http://")
    response = client.options("/api/v1/users", headers={"Origin": other, **PREFLIGHT})
    assert response.status_code == 204
    assert response.content == b""
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin, Access-Control-Request-Headers"


def test_an_options_request_that_is_no_preflight_reaches_the_routes(client: httpx.Client) -> None:
    response = client.options("/health/live")
    assert_problem(response, 405, "Method Not Allowed")
    assert response.headers["allow"] == "GET"


def test_cors_gives_other_origins_nothing(client: httpx.Client, cors_origin: str) -> None:
    other = "https://not-" + cors_origin.removeprefix("https://").removeprefix("http://")
    response = client.get("/health/live", headers={"Origin": other})
    assert "access-control-allow-origin" not in response.headers
