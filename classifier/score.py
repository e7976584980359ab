"""The band a probability falls in; the ``Score`` the classifier returns is the domain's.

A score is an annotation, never a decision (``domain.score``).
"""

from __future__ import annotations

from classifier.inputs import CLASSES, GENUINE
from classifier.thresholds import Thresholds
from domain.score import Reason, Score
from domain.taxonomy import ScoreBand

__all__ = ["GENUINE_ONLY", "Reason", "Score", "band_for"]


def band_for(p_false: float, thresholds: Thresholds, *, silent: bool = False) -> ScoreBand:
    """The band a probability falls in, for a silent or a spoken call."""
    medium, high = thresholds.for_call(silent=silent)
    if p_false >= high:
        return ScoreBand.HIGH
    if p_false >= medium:
        return ScoreBand.MEDIUM
    return ScoreBand.LOW


GENUINE_ONLY: dict[str, float] = {c: (1.0 if c == GENUINE else 0.0) for c in CLASSES}
