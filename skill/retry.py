"""Retry what can be transient: 3 attempts, exponential backoff with jitter.

Transient means the file system or a subprocess failed (a busy lock, a full
temporary directory, a flaky install or database): the same request may work a
moment later. Validation errors, timeouts and bugs are reported at once.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from skill.budget import Deadline
from skill.errors import SkillError, SkillFailedError
from skill.spec import RetryPolicy

T = TypeVar("T")


def is_transient(error: BaseException) -> bool:
    return isinstance(error, OSError | subprocess.SubprocessError) and not isinstance(error, SkillError)


def with_retries(
    action: Callable[[], T],
    policy: RetryPolicy,
    deadline: Deadline,
    *,
    sleep: Callable[[float], None] = time.sleep,
    draw: Callable[[], float] = random.random,
) -> tuple[T, int]:
    """``action()``'s result and the number of attempts it took."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return action(), attempt
        except SkillError as error:
            error.attempts = attempt
            raise
        except Exception as error:
            if not is_transient(error) or attempt >= policy.max_attempts:
                raise _failure(error, attempt, transient=is_transient(error)) from error
            pause = policy.delay(attempt, draw())
            left = deadline.remaining("retrying")
            if left is not None and pause >= left:
                timeout = deadline.expired(f"waiting {pause:.1f} s to retry after: {_describe(error)}")
                timeout.attempts = attempt
                raise timeout from error
            sleep(pause)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _failure(error: Exception, attempts: int, *, transient: bool) -> SkillFailedError:
    if not transient:
        # Not the caller's fault and not retryable: keep the traceback for whoever debugs it.
        traceback.print_exception(error, file=sys.stderr)
    why = f"failed {attempts} times" if transient else "failed with an error that retrying cannot fix"
    failure = SkillFailedError(f"the run {why}; last error: {_describe(error)}")
    failure.attempts = attempts
    return failure
