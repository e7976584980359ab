"""A false-call score as an incident records it: an annotation, never a verdict.

The classifier produces it (``classifier`` depends on ``domain``, never the reverse), intake
records it with ``Incident.record_score``. The ``Scored`` event stores its fields as plain JSON
(reasons as dicts), the shape events had before this type existed, so old logs still load.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.taxonomy import ScoreBand

FeatureValue = float | int | str | bool | None


class InvalidScore(ValueError):
    """Raised when a score's probability of a false call is not a number from 0 to 1."""


@dataclass(frozen=True)
class Reason:
    """One reason shown to the operator; ``weight`` is its log-odds push towards false (+)."""

    code: str
    text_id: str
    text_en: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (what the ``Scored`` event stores for each reason)."""
        return {
            "code": self.code,
            "text_id": self.text_id,
            "text_en": self.text_en,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class Score:
    """One model's score of one report: band, probabilities, reasons and what it looked at."""

    model_version: str
    p_false: float
    band: ScoreBand
    reasons: tuple[Reason, ...]
    features: Mapping[str, FeatureValue]
    p_class: Mapping[str, float]
    safety_rule: str | None
    callback_first: bool
    #: The band limits in force when scored (a rescore needs them to be exact); None: unknown.
    thresholds: Mapping[str, float | None] | None = None

    def __post_init__(self) -> None:
        # A NaN would be recorded for good (and band nothing): the scorer's own guard turns
        # this error into its fail-safe score, treated as genuine.
        if not (math.isfinite(self.p_false) and 0.0 <= self.p_false <= 1.0):
            raise InvalidScore(f"p_false must be a number from 0 to 1, got {self.p_false!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (thresholds only when known)."""
        data: dict[str, Any] = {
            "model_version": self.model_version,
            "p_false": self.p_false,
            "band": self.band.value,
            "reasons": [r.to_dict() for r in self.reasons],
            "features": dict(self.features),
            "p_class": dict(self.p_class),
            "safety_rule": self.safety_rule,
            "callback_first": self.callback_first,
        }
        if self.thresholds is not None:
            data["thresholds"] = dict(self.thresholds)
        return data


def unscored(reason: str) -> Score:
    """The score recorded when no model could score: treat the call as genuine, say why."""
    return Score(
        model_version="none",
        p_false=0.0,
        band=ScoreBand.LOW,
        reasons=(
            Reason(
                code=reason,
                text_id="Model tidak tersedia: laporan diperlakukan sebagai darurat asli",
                text_en="No model available: the report is treated as genuine",
                weight=0.0,
            ),
        ),
        features={},
        p_class={},
        safety_rule=reason,
        callback_first=False,
    )
