"""Read-ahead: values a request is about to read, fetched with its rate-limit count.

Every API request counts itself in its client's window first (``limits.py``). Where that
count is kept in a store that also holds cached values (Redis, with the cache task), the
values the request will read next (its caller's record, the post it asks for) come back in
the same round trip. Tasks name them: each function in ``app.state.read_ahead`` maps a
request's scope to the keys it will read. The counter knows nothing of what the keys hold;
the cache's reads take a value (``cache/readahead.py``) before asking the store.

A value is the store's answer at the start of the request, as a read there would have been,
and it is taken once: a second read of the key in the request goes to the store.
"""

from collections.abc import Callable, Iterable

from starlette.types import Scope

from .logging import request_context

ReadAhead = Callable[[Scope], Iterable[str]]


def keys_to_read(scope: Scope) -> list[str]:
    """The keys the app's read-ahead functions name for this request."""
    functions: list[ReadAhead] = scope["app"].state.read_ahead
    return [key for function in functions for key in function(scope)]


def keep(values: dict[str, str | None]) -> None:
    """Hold the values read ahead for this request (None: the store has no such key)."""
    context = request_context.get()
    if context is not None and values:
        context.read_ahead = values
