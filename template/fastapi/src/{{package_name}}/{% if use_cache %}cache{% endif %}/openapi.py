"""What the cache adds to the OpenAPI document: X-Cache on the reads it serves."""

from ..core.openapi import Amendment, header


def cache_status(method: str, path: str) -> Amendment:
    """X-Cache: whether the cache-aside read of this operation hit Redis."""
    x_cache = header(
        "HIT: served from the Redis cache; MISS: loaded from storage",
        {"type": "string", "enum": ["HIT", "MISS"]},
    )
    return Amendment(
        lambda m, p, _operation: (m, p) == (method, path),
        headers={"X-Cache": x_cache},
        statuses=frozenset({"200", "304"}),
    )
