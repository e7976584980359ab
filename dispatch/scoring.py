"""Adapts the false-call classifier to intake: builds its input, records what it says."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

from classifier import BatchScorer, CallerHistory, ReportInput, Thresholds, load_scorer
from classifier.thresholds import DEFAULT_COST_RATIO
from dispatch.ports import ReportRequest
from dispatch.settings import Settings
from domain.incident import Incident
from domain.values import Location


class ClassifierScoring:
    """Scores a report with the classifier (which never raises: failures score as genuine)."""

    def __init__(self, scorer: BatchScorer) -> None:
        self.scorer = scorer

    @classmethod
    def from_settings(cls, settings: Settings) -> ClassifierScoring:
        """The scorer the settings ask for (model path, kill switch, thresholds, timeout)."""
        return cls(
            _loaded_scorer(
                settings.classifier_model_path,
                settings.classifier_enabled,
                thresholds(settings),
                settings.classifier_timeout_ms,
            )
        )

    def score_report(
        self,
        request: ReportRequest,
        location: Location | None,
        history: CallerHistory,
        now: datetime,
    ) -> dict[str, Any]:
        """The score as the Scored event records it."""
        score = self.scorer.score(report_input(request, location, now), history, now)
        # The band depends on the thresholds in force: record them so a rescore is exact.
        return score.to_dict() | {"thresholds": self.scorer.thresholds.to_dict()}


@functools.cache
def _loaded_scorer(
    path: Path | None, enabled: bool, limits: Thresholds | None, timeout_ms: float
) -> BatchScorer:
    """Load a model once per process and configuration (loading takes about a second)."""
    return load_scorer(path, enabled=enabled, thresholds=limits, timeout_ms=timeout_ms)


def thresholds(settings: Settings) -> Thresholds | None:
    """Explicit thresholds win, then a cost ratio; None keeps the model card's own."""
    medium, high = settings.classifier_threshold_medium, settings.classifier_threshold_high
    if medium is not None and high is not None:
        return Thresholds(
            medium=medium,
            high=high,
            silent_medium=settings.classifier_threshold_silent_medium,
            silent_high=settings.classifier_threshold_silent_high,
        )
    ratio, silent_ratio = settings.classifier_cost_ratio, settings.classifier_silent_cost_ratio
    if ratio is not None or silent_ratio is not None:
        spoken = ratio if ratio is not None else DEFAULT_COST_RATIO
        return Thresholds.from_cost_ratio(spoken, silent_cost_ratio=silent_ratio)
    return None


def report_input(request: ReportRequest, location: Location | None, now: datetime) -> ReportInput:
    """What the classifier may see of a report (no outcome, no label)."""
    return ReportInput(
        channel=request.channel.value,
        caller_number=request.caller_number,
        sim_present=request.sim_present,
        call_duration_s=request.call_duration_s,
        first_speech_s=request.first_speech_s,
        silent=request.silent,
        has_location=location is not None,
        location_source=location.source.value if location else None,
        location_accuracy_m=location.accuracy_m if location else None,
        description=request.description,
        category=request.category.value,
        persons_involved=request.persons_involved,
        injuries=request.injuries,
        hazards=request.hazards,
        received_at=request.received_at or now,
        disaster_context=request.disaster_context,
        hoax_observed=request.hoax_observed,
    )


def recorded_request(record: Incident | Incident.Reported) -> ReportRequest:
    """The report as intake received it, rebuilt from the incident or its Reported event."""
    return ReportRequest(
        report_id=record.report_id,
        channel=record.channel,
        description=record.description,
        category=record.category,
        received_at=record.received_at,
        caller_number=record.caller_number,
        sim_present=record.sim_present,
        call_duration_s=record.call_duration_s,
        first_speech_s=record.first_speech_s,
        silent=record.silent,
        location=record.location,
        address_text=record.address_text,
        persons_involved=record.persons_involved,
        injuries=record.injuries,
        hazards=tuple(record.hazards),
        disaster_context=record.disaster_context,
    )
