"""What the classifier returns for one report: an annotation, never a decision."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from classifier.features import FeatureValue
from classifier.inputs import CLASSES, GENUINE
from classifier.thresholds import Thresholds
from domain.taxonomy import ScoreBand


@dataclass(frozen=True)
class Reason:
    """One reason shown to the operator; ``weight`` is its log-odds push towards false (+)."""

    code: str
    text_id: str
    text_en: str
    weight: float


@dataclass(frozen=True)
class Score:
    """The recorded score of one report (the ``Scored`` event's payload)."""

    model_version: str
    p_false: float
    band: ScoreBand
    reasons: tuple[Reason, ...]
    features: dict[str, FeatureValue]
    p_class: dict[str, float]
    safety_rule: str | None
    callback_first: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {
            "model_version": self.model_version,
            "p_false": self.p_false,
            "band": self.band.value,
            "reasons": [asdict(r) for r in self.reasons],
            "features": dict(self.features),
            "p_class": dict(self.p_class),
            "safety_rule": self.safety_rule,
            "callback_first": self.callback_first,
        }


def band_for(p_false: float, thresholds: Thresholds, *, silent: bool = False) -> ScoreBand:
    """The band a probability falls in, for a silent or a spoken call."""
    medium, high = thresholds.for_call(silent=silent)
    if p_false >= high:
        return ScoreBand.HIGH
    if p_false >= medium:
        return ScoreBand.MEDIUM
    return ScoreBand.LOW


GENUINE_ONLY: dict[str, float] = {c: (1.0 if c == GENUINE else 0.0) for c in CLASSES}
