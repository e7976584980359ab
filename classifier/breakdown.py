"""Per-class and per-channel rates with 95 % Wilson intervals, on the frozen realistic set.

A share measured on a few dozen hand-written cases is uncertain; the interval says how much.
The Wilson score interval (two-sided, 95 %) stays inside [0, 1] and behaves at k = 0 and k = n,
where the normal approximation fails.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from classifier.evaluation import Scored, score_all
from classifier.frozen_set import REALISTIC_PATH, as_the_console_sends, load_frozen_set
from classifier.inputs import CLASSES, GENUINE
from classifier.scorer import BatchScorer
from domain.taxonomy import Channel, ScoreBand

Z95 = 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The two-sided Wilson score interval for k successes in n (None when n is 0)."""
    if n == 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - spread), min(1.0, centre + spread)


def share(mask: NDArray[np.bool_], hit: NDArray[np.bool_]) -> dict[str, Any]:
    """k, n, k/n and the 95 % Wilson interval of ``hit`` among ``mask``."""
    n, k = int(mask.sum()), int((mask & hit).sum())
    interval = wilson_interval(k, n)
    return {
        "k": k,
        "n": n,
        "rate": k / n if n else None,
        "wilson95": list(interval) if interval else None,
    }


def breakdown(result: Scored) -> dict[str, Any]:
    """Share banded HIGH per class, and per channel for genuine and for false calls."""
    high = result.bands == ScoreBand.HIGH.value
    genuine = result.labels == GENUINE
    # With speech: someone spoke (the generator's truth; else not recorded as silent).
    spoken = result.spoke
    channels = np.array([str(s.features.get("channel")) for s in result.scores])
    return {
        "genuine_with_speech_banded_high": share(genuine & spoken, high),
        "false_banded_high": share(~genuine, high),
        "banded_high_by_class": {c: share(result.labels == c, high) for c in CLASSES},
        "banded_high_by_channel": {
            ch.value: {
                "genuine": share(genuine & (channels == ch.value), high),
                "false": share(~genuine & (channels == ch.value), high),
            }
            for ch in Channel
        },
    }


def realistic_set_rates(scorer: BatchScorer, path: Path = REALISTIC_PATH) -> dict[str, Any]:
    """A hand-written set as recorded and as the console sends it, broken down."""
    recorded = load_frozen_set(path)
    return {
        "source": f"classifier/frozen/{path.name}: hand-written apart from the "
        "generator, never used for training or tuning",
        "n": len(recorded),
        "as_recorded": breakdown(score_all(scorer, recorded)),
        "as_the_console_sends": breakdown(
            score_all(scorer, [as_the_console_sends(e) for e in recorded])
        ),
    }


def _cell(r: Mapping[str, Any]) -> str:
    if not r["n"]:
        return "–"
    lo, hi = r["wilson95"]
    return f"{r['k']}/{r['n']} = {100 * r['rate']:.0f} % [{100 * lo:.0f}–{100 * hi:.0f}]"


def summary(section: Mapping[str, Any] | None, name: str = "realistic set") -> str:
    """Terminal lines: the headline and every class, with 95 % Wilson intervals."""
    if not section:
        return ""
    lines = ""
    for shape in ("as_recorded", "as_the_console_sends"):
        lines += line(f"{name} ({section['n']}), {shape.replace('_', ' ')}", section[shape])
    return lines


def line(title: str, b: Mapping[str, Any] | None) -> str:
    """One terminal line of a :func:`breakdown`."""
    if not b:
        return ""
    classes = "; ".join(
        f"{c} {_cell(r)}" for c, r in b["banded_high_by_class"].items() if c != GENUINE
    )
    return (
        f"\n{title}: genuine with speech HIGH {_cell(b['genuine_with_speech_banded_high'])}; "
        f"false HIGH {_cell(b['false_banded_high'])}; {classes}"
    )
