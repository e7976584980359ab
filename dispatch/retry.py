"""One way to retry "load, decide, save" when another writer got there first.

A command that did not name the version its user saw is re-run from a fresh load when its save
loses a race (the store's ``IntegrityError``): each retry after a random wait that doubles up
to ``max_wait_s`` (so that racing writers spread out instead of colliding again in step), for
as long as ``budget_s`` allows, not a fixed number of times. A command that did name a version
refuses itself inside the attempt (``VersionConflict``) and is never retried.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from eventsourcing.persistence import IntegrityError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How long a command may keep losing races before its caller is told (409)."""

    budget_s: float = 3.0
    first_wait_s: float = 0.002
    max_wait_s: float = 0.1


def retry_races(attempt: Callable[[], T], policy: RetryPolicy) -> T:
    """``attempt()`` until it does not raise ``IntegrityError``, or re-raise the last one once
    the next wait would end past the budget (the first attempt always runs)."""
    deadline = time.monotonic() + policy.budget_s
    wait = policy.first_wait_s
    while True:
        try:
            return attempt()
        except IntegrityError:
            pause = random.uniform(0, wait)
            if time.monotonic() + pause >= deadline:
                raise
        time.sleep(pause)
        wait = min(wait * 2, policy.max_wait_s)
