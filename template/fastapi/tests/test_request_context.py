import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from tests.helpers import LogCapture, make_app, running

# Readable by a browser script of an allowed origin.
EXPOSED_HEADERS = (
    "X-Request-ID, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Location, "
    "ETag, X-Cache"
)
ACCESS_LINE_FIELDS = {
    "time",
    "level",
    "msg",
    "method",
    "path",
    "status",
    "duration_ms",
    "request_id",
}

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


async def test_valid_incoming_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "abc.DEF_123-xyz"})

    assert response.headers["x-request-id"] == "abc.DEF_123-xyz"


async def test_request_id_of_128_characters_is_echoed(client: httpx.AsyncClient) -> None:
    request_id = "a" * 128
    response = await client.get("/health/live", headers={"X-Request-ID": request_id})

    assert response.headers["x-request-id"] == request_id


async def test_missing_request_id_is_generated_as_uuid4(client: httpx.AsyncClient) -> None:
    first = await client.get("/health/live")
    second = await client.get("/health/live")

    generated = uuid.UUID(first.headers["x-request-id"])
    assert generated.version == 4
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize(
    "invalid",
    ["", "a" * 129, "has space", "semi;colon", "new\\nline", "ünïcode"],
    ids=["empty", "too-long", "space", "semicolon", "escape", "non-ascii"],
)
async def test_invalid_incoming_request_id_is_replaced(
    client: httpx.AsyncClient, invalid: str
) -> None:
    response = await client.get(
        "/health/live", headers=[(b"X-Request-ID", invalid.encode("utf-8"))]
    )

    assert response.headers["x-request-id"] != invalid
    assert uuid.UUID(response.headers["x-request-id"]).version == 4


async def test_each_request_writes_one_json_log_line(
    client: httpx.AsyncClient, logs: LogCapture
) -> None:
    response = await client.get("/health/live?probe=1", headers={"X-Request-ID": "req-1"})

    [line] = logs.requests()
    # The fields the README lists; no user_id without a caller.
    assert set(line) == ACCESS_LINE_FIELDS
    assert line["method"] == "GET"
    assert line["path"] == "/health/live"
    assert line["status"] == response.status_code == 200
    assert line["request_id"] == "req-1"
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["level"] == "info"
    assert line["time"].endswith("Z")


async def test_a_response_cut_short_is_logged_as_aborted(app: FastAPI, logs: LogCapture) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"first chunk"
        msg = "the source failed mid-stream"
        raise RuntimeError(msg)

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        return StreamingResponse(chunks())

    async with running(app) as client:
        with pytest.raises(RuntimeError, match="mid-stream"):
            await client.get("/stream", headers={"X-Request-ID": "cut-short"})

    [line] = logs.requests()
    assert line["request_id"] == "cut-short"
    assert line["status"] == 200
    assert line["aborted"] is True


async def test_error_responses_are_logged_with_their_status(
    client: httpx.AsyncClient, logs: LogCapture
) -> None:
    await client.get("/missing")

    [line] = logs.requests()
    assert line["status"] == 404
    assert line["path"] == "/missing"


async def test_authorization_and_cookies_never_reach_the_log(
    client: httpx.AsyncClient, logs: LogCapture
) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig-9f8e7d6c5b4a"
    await client.get(
        "/health/live",
        headers={"Authorization": f"Bearer {token}", "Cookie": "session=cookie-value-42"},
    )
    await client.get("/missing", headers={"Authorization": f"Bearer {token}"})

    assert len(logs.requests()) == 2
    assert token not in logs.text
    assert "cookie-value-42" not in logs.text


@pytest.mark.parametrize("path", ["/health/live", "/missing"])
async def test_security_headers_are_on_every_response(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "strict-transport-security" not in response.headers


async def test_hsts_is_sent_only_when_enabled() -> None:
    async with running(make_app(hsts_enabled=True)) as client:
        response = await client.get("/health/live")

    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


async def test_cors_allows_only_the_configured_origins() -> None:
    app = make_app(cors_origins=["https://app.example.com"])
    async with running(app) as client:
        allowed = await client.options(
            "/health/live",
            headers={
                "Origin": "https://app.example.com",
                "Access-Control-Request-Method": "GET",
            },
        )
        refused = await client.get("/health/live", headers={"Origin": "https://evil.example"})

    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "x-request-id" in allowed.headers
    assert "access-control-allow-origin" not in refused.headers


async def test_a_preflight_is_204_without_a_body_whatever_the_origin() -> None:
    app = make_app(cors_origins=["https://app.example.com"])
    asked = {"Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "x-a, x-b"}
    async with running(app) as client:
        allowed = await client.options(
            "/api/v1/users", headers={"Origin": "https://app.example.com", **asked}
        )
        refused = await client.options(
            "/api/v1/users", headers={"Origin": "https://evil.example", **asked}
        )
        not_preflight = await client.options("/health/live")

    for response in (allowed, refused):
        assert (response.status_code, response.content) == (204, b"")
        assert response.headers["access-control-allow-methods"] == "GET, HEAD, POST, PATCH, DELETE"
        assert response.headers["access-control-allow-headers"] == "x-a, x-b"
        assert response.headers["access-control-max-age"] == "600"
        assert response.headers["vary"] == "Origin, Access-Control-Request-Headers"
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    # The browser refuses a preflight answer without Access-Control-Allow-Origin.
    assert "access-control-allow-origin" not in refused.headers
    assert not_preflight.status_code == 405


async def test_cors_exposes_the_service_headers_to_allowed_origins() -> None:
    app = make_app(cors_origins=["https://app.example.com"])
    async with running(app) as client:
        allowed = await client.get("/health/live", headers={"Origin": "https://app.example.com"})
        refused = await client.get("/health/live", headers={"Origin": "https://evil.example"})

    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert allowed.headers["access-control-expose-headers"] == EXPOSED_HEADERS
    # Without Access-Control-Allow-Origin a browser lets the other origin read nothing.
    assert "access-control-allow-origin" not in refused.headers


async def test_no_cross_origin_access_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"Origin": "https://app.example.com"})

    assert "access-control-allow-origin" not in response.headers
    assert "access-control-expose-headers" not in response.headers
