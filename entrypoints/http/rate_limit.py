"""A limit on intake per token: a client stuck in a loop must not bury the floor.

A token bucket per token, refilled at ``rate`` reports per second up to ``burst``. Sized far
above any real center's peak (Jakarta's 637,292 calls a year are 0.02 a second on average; one
call-taker takes one call at a time): only a runaway client meets it, and it gets a 429 with
the seconds to wait, never a silent drop.

With ``serve --workers N`` each worker keeps its own buckets at the whole rate: a client's
keep-alive connection stays with the worker that accepted it, so a share of 1/N would refuse
a client the limit this documents (a token sending 50 reports/s over two workers got 248
refusals in 1,000). A runaway client spread over every worker meets N times the rate at most,
and the admission gate's 503 beyond what the node can take.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class RateLimited(Exception):
    """Raised when a token has sent more reports than its bucket holds."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"too many reports from this token; retry in {math.ceil(retry_after_s)} s")
        self.retry_after_s = retry_after_s


@dataclass
class _Bucket:
    tokens: float
    at: float


class IntakeRateLimit:
    """Token buckets per token name (``rate`` ≤ 0 switches the limit off)."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, who: str) -> None:
        """Count one report from ``who``, or raise RateLimited."""
        if self.rate <= 0:
            return
        now = self.clock()
        with self._lock:
            bucket = self._buckets.setdefault(who, _Bucket(float(self.burst), now))
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.tokens < 1:
                raise RateLimited((1 - bucket.tokens) / self.rate)
            bucket.tokens -= 1
