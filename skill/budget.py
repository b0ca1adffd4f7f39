"""The time budget of one invocation (timeout_ms).

Every subprocess gets the time that is left as its timeout, every step checks
the clock, and in the main thread a SIGALRM interrupts in-process work too (a
Copier render), so no step can outlive the budget.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from skill.errors import SkillTimeoutError


class Deadline:
    """A point in time after which work stops; ``None`` seconds means no limit."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = None if seconds is None else clock() + seconds

    def remaining(self, doing: str = "") -> float | None:
        """Seconds left (None when unlimited); raises SkillTimeoutError once none are."""
        if self._end is None:
            return None
        left = self._end - self._clock()
        if left <= 0:
            raise self.expired(doing)
        return left

    def check(self, doing: str = "") -> None:
        self.remaining(doing)

    def expired(self, doing: str = "") -> SkillTimeoutError:
        budget = f"{round((self.seconds or 0) * 1000)} ms"
        return SkillTimeoutError(f"the {budget} budget ran out" + (f" while {doing}" if doing else ""))

    @contextmanager
    def interrupts(self, doing: str = "") -> Iterator[None]:
        """Raise SkillTimeoutError inside the block when the deadline passes (main thread only)."""
        left = self.remaining(doing)
        if left is None or threading.current_thread() is not threading.main_thread():
            yield
            return

        def expire(_signum: int, _frame: FrameType | None) -> None:
            raise self.expired(doing)

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, left)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
