from __future__ import annotations

import pytest

from extensions.naming import kebab, pascal, snake


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My Service", ("my-service", "my_service", "MyService")),
        ("HTTPServer api", ("http-server-api", "http_server_api", "HttpServerApi")),
        ("orders_api-v2", ("orders-api-v2", "orders_api_v2", "OrdersApiV2")),
        ("  Trailing!! ", ("trailing", "trailing", "Trailing")),
    ],
)
def test_naming_filters_split_on_the_same_words(text: str, expected: tuple[str, str, str]) -> None:
    assert (kebab(text), snake(text), pascal(text)) == expected
