"""Scoring and verification: the classifier's annotation, the operator's override, the
call-back queue and its outcome.

Methods of ``Incident`` (bound in ``domain.incident``): each public function decides, each
past-tense one is the ``@event`` method that assigns what its event says.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.errors import NotVerifying, ReasonRequired
from domain.score import Score
from domain.taxonomy import ScoreBand

if TYPE_CHECKING:
    from domain.incident import Incident


def record_score(
    self: Incident, score: Score, *, shadow: Score | None = None, actor: str, at: datetime
) -> None:
    """Record the classifier's annotation (never a verdict).

    A ``shadow`` score (a candidate model's) is recorded as ``ShadowScored``, apart: it
    changes neither the band nor the flags.
    """
    self._scored(
        model_version=score.model_version,
        p_false=float(score.p_false),
        band=score.band,
        reasons=[r.to_dict() for r in score.reasons],
        features=dict(score.features),
        p_class=dict(score.p_class),
        safety_rule=score.safety_rule,
        callback_first=score.callback_first,
        actor=actor,
        at=at,
        thresholds=None if score.thresholds is None else dict(score.thresholds),
    )
    if shadow is not None:
        self._shadow_scored(
            model_version=shadow.model_version,
            p_false=float(shadow.p_false),
            band=shadow.band,
            safety_rule=shadow.safety_rule,
            callback_first=shadow.callback_first,
            actor=actor,
            at=at,
        )


def shadow_scored(
    self: Incident,
    model_version: str,
    p_false: float,
    band: ScoreBand,
    safety_rule: str | None,
    callback_first: bool,
    actor: str,
    at: datetime,
) -> None:
    """ShadowScored: kept apart from ``score``, since nothing that bands, flags or shows may
    read a candidate's score."""
    self.shadow_score = {"model_version": model_version, "p_false": p_false, "band": band.value}


def scored(
    self: Incident,
    model_version: str,
    p_false: float,
    band: ScoreBand,
    reasons: list[dict[str, Any]],
    features: dict[str, Any],
    p_class: dict[str, float],
    safety_rule: str | None,
    callback_first: bool,
    actor: str,
    at: datetime,
    thresholds: dict[str, Any] | None = None,
) -> None:
    """Scored: the live score becomes the incident's (a call-back asked stays asked)."""
    self.score = {
        "model_version": model_version,
        "p_false": p_false,
        "band": band.value,
        "reasons": reasons,
        "safety_rule": safety_rule,
        "callback_first": callback_first,
        "thresholds": thresholds,
    }
    self.callback_first = self.callback_first or callback_first


def override_score(
    self: Incident, band: ScoreBand, reason: str, *, actor: str, at: datetime
) -> None:
    """An operator overrides the classifier's band; a reason is required."""
    if not reason.strip():
        raise ReasonRequired("overriding the false-call score needs a reason")
    self._score_overridden(band=band, reason=reason.strip(), actor=actor, at=at)


def score_overridden(
    self: Incident, band: ScoreBand, reason: str, actor: str, at: datetime
) -> None:
    """ScoreOverridden: the operator's band replaces the model's."""
    self.band_override = band


def flag_for_verification(
    self: Incident, reason: str, *, callback_first: bool, actor: str, at: datetime
) -> None:
    """Put the incident in the call-back queue (it stays visible and can still be routed)."""
    self._check_open()
    self._flagged(reason=reason, callback_first=callback_first, actor=actor, at=at)


def flagged(self: Incident, reason: str, callback_first: bool, actor: str, at: datetime) -> None:
    """FlaggedForVerification: the incident waits in the call-back queue."""
    self.verification_pending = True
    self.callback_first = self.callback_first or callback_first
    self.flagged_at = at


def verify(self: Incident, *, genuine: bool, reason: str, actor: str, at: datetime) -> None:
    """Record the call-back outcome of a flagged incident."""
    self._check_open()
    if not self.verification_pending:
        raise NotVerifying(f"incident {self.number} is not waiting for verification")
    if not reason.strip():
        raise ReasonRequired("a verification outcome needs a reason")
    self._verified(genuine=genuine, reason=reason.strip(), actor=actor, at=at)


def verified(self: Incident, genuine: bool, reason: str, actor: str, at: datetime) -> None:
    """Verified: the call-back's outcome."""
    self.verification_pending = False
    self.verified = genuine
