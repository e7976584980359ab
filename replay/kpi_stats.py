"""Percentiles and judging a measure against its target."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from replay.kpi_targets import Targets


@dataclass(frozen=True)
class Sample:
    """One incident's outcome on one measure: seconds taken, or ``None`` for a miss."""

    seconds: float | None
    target_s: float
    priority: str


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p % of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def stats(values: list[float]) -> dict[str, Any]:
    """Count, p50, p90, max (seconds)."""
    return {
        "count": len(values),
        "p50_s": percentile(values, 50),
        "p90_s": percentile(values, 90),
        "max_s": max(values) if values else None,
    }


def judge(samples: Sequence[Sample], targets: Targets, *, pending: int = 0) -> dict[str, Any]:
    """A measure over its samples: how many counted, missed, within target, and pass or fail.

    ``count`` includes the misses; the percentiles are over the incidents that have a time.
    ``status`` is ``no_data`` when nothing was counted, never a pass or a zero.
    """
    timed = [s.seconds for s in samples if s.seconds is not None]
    within = sum(1 for s in samples if s.seconds is not None and s.seconds <= s.target_s)
    count = len(samples)
    distinct = sorted({s.target_s for s in samples})
    passed = within >= targets.pass_share * count
    status = "no_data" if count == 0 else "pass" if passed else "fail"
    return {
        **stats(timed),
        "count": count,
        "timed": len(timed),
        "missed": count - len(timed),
        "pending": pending,
        "target_s": distinct[0] if len(distinct) == 1 else None,
        "within_target": within,
        "percent_within_target": round(100 * within / count, 1) if count else None,
        "status": status,
    }
