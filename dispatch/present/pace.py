"""Letting background work give way to the work people wait for.

A checkpoint's encoding is CPU work in Python: while it runs it takes its turn at the
interpreter lock with the threads that answer call-takers and agencies. In a surge (100
reports/s, ~1,500 incidents moved between two checkpoints) one body took ~420 ms of CPU in a
single burst, and the reports answered meanwhile waited for it (open loop at 100 reports/s on
SQLite: p99 202-636 ms with it, 56-136 ms without checkpoints). Paced, the same work is spread
out: after every ``slice_s`` of work the thread sleeps long enough to use at most ``share`` of
one core, so a request never waits behind more than one short slice.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: the share of one core a paced background task may take while it works
DEFAULT_SHARE = 0.25
#: how long it works before it gives way (s)
DEFAULT_SLICE_S = 0.002


class Pace:
    """Call ``step()`` between small units of work; it sleeps once a slice is used up."""

    def __init__(
        self,
        share: float = DEFAULT_SHARE,
        slice_s: float = DEFAULT_SLICE_S,
        *,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], not {share}")
        self.share, self.slice_s = share, slice_s
        self._clock, self._sleep = clock, sleep
        self._since = clock()
        self.slept_s = 0.0

    def step(self) -> None:
        """Sleep if the work since the last pause used up a slice (never more than needed to
        keep to ``share``)."""
        worked = self._clock() - self._since
        if worked < self.slice_s:
            return
        if self.share < 1:
            pause = worked * (1 - self.share) / self.share
            self._sleep(pause)
            self.slept_s += pause
        self._since = self._clock()


def unpaced() -> None:
    """The step of work that need not give way (a checkpoint written at start or stop)."""
