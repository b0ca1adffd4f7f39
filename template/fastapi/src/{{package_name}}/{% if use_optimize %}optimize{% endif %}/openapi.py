"""What optimize adds to the OpenAPI document: ETags and 304 answers on GETs."""

from ..core.openapi import Amendment, Operation, header, under


def conditional_gets(prefix: str) -> Amendment:
    """middleware.ETagMiddleware: an ETag on each 200 to a GET; a matching If-None-Match → 304."""
    if_none_match = {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "ETags of copies the client holds: a match is answered 304, without a body",
        "schema": {"type": "string"},
    }
    get = under(prefix, "get")

    def answers_a_body(method: str, path: str, operation: Operation) -> bool:
        # Only a 200 has a body to tag: a GET that redirects (sign-in) has no ETag.
        return get(method, path, operation) and "200" in operation.get("responses", {})

    return Amendment(
        answers_a_body,
        responses={"304": {"description": "Not Modified: the copy with this ETag is current"}},
        headers={"ETag": header("a weak tag of the body, for If-None-Match", {"type": "string"})},
        statuses=frozenset({"200", "304"}),
        parameters=(if_none_match,),
    )
