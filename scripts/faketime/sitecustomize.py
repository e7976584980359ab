"""Loaded only by scripts/at-time: makes time.sleep work under libfaketime 0.9.10.

libfaketime 0.9.10 (Debian 12) turns an absolute CLOCK_MONOTONIC deadline into a real one by
subtracting the fake wall-clock start, even when the monotonic clock is not faked; Python ≥ 3.11
sleeps until such a deadline, so every ``time.sleep`` fails with EINVAL. Faking the monotonic
clock instead hangs every timed lock wait (``sem_clockwait`` is not intercepted). So the wall
clock alone is faked, and ``time.sleep`` waits in ``select`` with a relative timeout.
"""

from __future__ import annotations

import select
import time
from typing import SupportsIndex


def _sleep(secs: float | SupportsIndex, /) -> None:
    seconds = float(secs)
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        select.select([], [], [], left)


time.sleep = _sleep
