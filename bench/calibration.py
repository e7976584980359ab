"""How fast this machine's cores are right now: a fixed piece of Python work, timed.

On a machine whose cores are shared, the same code has taken 13.5 ms of server CPU per report
in one run and 19.5 ms in the next (bench_feeds, 2026-12-07), the difference being the
neighbours. Benches print ``calibration_ms`` before and after their phases: the best of three
runs of the same work (sorting and hashing in a Python loop, no I/O, no allocation that grows).
It sees cores that are slower or taken; it does not see everything: at 01:33 UTC that day the
server needed 17 ms of CPU per report for work that took 11-13 ms at 01:25, with this loop as
fast as before (a neighbour's memory traffic slows a server's large working set more than a
small loop). So it explains some outliers and clears none.
"""

from __future__ import annotations

import hashlib
import time

ROUNDS = 3


def calibration_ms() -> float:
    """Milliseconds of the fixed work on one core now (the best of three runs)."""
    best = float("inf")
    for _ in range(ROUNDS):
        began = time.perf_counter()
        _work()
        best = min(best, time.perf_counter() - began)
    return round(best * 1000, 1)


def _work() -> int:
    total = 0
    for i in range(20_000):
        values = [(i * 7919 + k * 104_729) % 251 for k in range(8)]
        values.sort()
        total += hashlib.blake2b(bytes(values[:4]) * 4, digest_size=8).digest()[0]
    return total
