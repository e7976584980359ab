"""Synthetic callers: who calls, from which number, with what history.

Repeat prank numbers, "ghost" devices that dial 112 from a pocket again and again, lonely
frequent callers, and ordinary people who call once. Genuine emergencies come mostly from
new numbers, but also from every other kind of caller (research §3.3: a number recorded as a
prankster may one day report a real emergency).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from classifier.inputs import CallerHistory

_PROFILES: dict[str, dict[str, float]] = {
    "genuine": {"new": 0.83, "returning": 0.06, "frequent": 0.06, "prankster": 0.03, "ghost": 0.02},
    "genuine-repeat": {"follow_up": 1.0},
    "genuine-silent": {"new": 0.6, "ghost": 0.25, "frequent": 0.15},
    "prank": {"prankster": 0.55, "new": 0.40, "frequent": 0.05},
    "silent": {"ghost": 0.45, "new": 0.45, "prankster": 0.10},
    "accidental": {"new": 0.75, "ghost": 0.20, "frequent": 0.05},
    "non_emergency": {"new": 0.65, "frequent": 0.30, "prankster": 0.05},
}
_SIM = {"genuine": 0.97, "prank": 0.85, "silent": 0.85, "accidental": 0.96, "non_emergency": 0.98}
_PREFIXES = (
    "62811",
    "62812",
    "62813",
    "62821",
    "62822",
    "62852",
    "62853",
    "62856",
    "62857",
    "62877",
    "62878",
    "62895",
    "62896",
    "62881",
)
_POOLED = ("prankster", "frequent", "ghost")


class CallerBook:
    """Hands out caller numbers and histories; repeat callers reuse a small pool of numbers."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.pools = {p: [self._number() for _ in range(max(3, n // 150))] for p in _POOLED}

    def caller(
        self, label: str, hard: str, channel: str
    ) -> tuple[str | None, bool | None, CallerHistory]:
        """Caller number (or None), SIM present, and the number's history at call time."""
        rng = self.rng
        if channel in ("walk_in", "radio"):
            return None, None, CallerHistory()
        if rng.random() > _SIM[label]:
            return None, False, CallerHistory()  # SIM-less phone: no number, no history
        if rng.random() < 0.02:
            return None, True, CallerHistory()  # caller id withheld by the network
        key = f"{label}-{hard}" if f"{label}-{hard}" in _PROFILES else label
        profile = _pick(rng, _PROFILES[key])
        number = rng.choice(self.pools[profile]) if profile in _POOLED else self._number()
        return number, True, _history(rng, profile)

    def _number(self) -> str:
        return (
            "+"
            + self.rng.choice(_PREFIXES)
            + "".join(str(self.rng.randrange(10)) for _ in range(self.rng.randint(7, 8)))
        )


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _some(rng: random.Random, p_zero: float, lo: int, hi: int) -> int:
    """Zero with probability ``p_zero``, else a value in [lo, hi] skewed towards lo."""
    if rng.random() < p_zero:
        return 0
    return min(hi, lo + int(rng.expovariate(3.0 / max(hi - lo, 1))))


def _history(rng: random.Random, profile: str) -> CallerHistory:
    if profile == "follow_up":
        h1 = rng.randint(1, 3)
        h24 = h1 + _some(rng, 0.7, 1, 2)
        return CallerHistory(
            h1,
            h24,
            h24 + _some(rng, 0.6, 1, 4),
            _some(rng, 0.92, 1, 2),
            _some(rng, 0.85, 1, 2),
            _some(rng, 0.95, 1, 1),
        )
    if profile == "returning":
        d30 = _some(rng, 0.3, 1, 5)
        return CallerHistory(
            0,
            _some(rng, 0.9, 1, 1),
            d30,
            _some(rng, 0.9, 1, 1),
            rng.randint(1, 3),
            _some(rng, 0.95, 1, 1),
        )
    if profile == "frequent":
        h1 = _some(rng, 0.8, 1, 2)
        h24 = h1 + _some(rng, 0.5, 1, 4)
        return CallerHistory(
            h1,
            h24,
            h24 + rng.randint(5, 40),
            rng.randint(3, 25),
            _some(rng, 0.5, 1, 4),
            _some(rng, 0.7, 1, 3),
        )
    if profile == "prankster":
        h1 = _some(rng, 0.35, 1, 4)
        h24 = h1 + rng.randint(1, 16)
        return CallerHistory(
            h1,
            h24,
            h24 + rng.randint(2, 60),
            rng.randint(2, 50),
            _some(rng, 0.95, 1, 1),
            _some(rng, 0.4, 1, 20),
        )
    if profile == "ghost":
        h1 = _some(rng, 0.2, 1, 6)
        h24 = h1 + rng.randint(1, 20)
        return CallerHistory(
            h1,
            h24,
            h24 + rng.randint(1, 40),
            _some(rng, 0.5, 1, 10),
            _some(rng, 0.97, 1, 1),
            rng.randint(2, 40),
        )
    d30 = _some(rng, 0.75, 1, 3)  # a new or occasional caller
    return CallerHistory(
        0,
        min(d30, _some(rng, 0.93, 1, 1)),
        d30,
        _some(rng, 0.92, 1, 1),
        _some(rng, 0.9, 1, 2),
        _some(rng, 0.93, 1, 1),
    )
