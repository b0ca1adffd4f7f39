"""Retry with exponential backoff and full jitter, for connecting to dependencies at start-up."""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

logger = logging.getLogger(__name__)


class RetryError(Exception):
    """Every attempt failed; the message says what could not be reached and why."""


async def retry(  # noqa: PLR0913  (each knob is a keyword: tests replace sleep and jitter)
    operation: Callable[[], Awaitable[T]],
    *,
    what: str,
    retry_on: tuple[type[BaseException], ...],
    attempts: int = 3,
    base_delay: float = 0.5,
    max_delay: float = 5.0,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    jitter: Callable[[], float] = random.random,
) -> T:
    """Run ``operation`` up to ``attempts`` times.

    Before attempt n+1 it waits a random time in [0, min(max_delay, base_delay * 2**n)),
    so many instances restarting together do not hammer the dependency in step.
    """
    if attempts < 1:
        msg = "attempts must be at least 1"
        raise ValueError(msg)
    for attempt in range(1, attempts + 1):
        try:
            return await operation()
        except retry_on as exc:
            if attempt == attempts:
                msg = f"could not reach {what} after {attempts} attempts: {exc!r}"
                # One readable line before the server prints the traceback.
                logger.error("giving up", extra={"target": what, "error": msg})  # noqa: TRY400  (the caller gets the traceback)
                raise RetryError(msg) from exc
            delay = jitter() * min(max_delay, base_delay * 2 ** (attempt - 1))
            logger.warning(
                "retrying",
                extra={"target": what, "attempt": attempt, "delay_s": round(delay, 3)},
            )
            await sleep(delay)
    raise AssertionError  # unreachable: the loop returns or raises
