"""Adapts the false-call classifier to intake: builds its input, records what it says."""

from __future__ import annotations

import functools
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from classifier import BatchScorer, CallerHistory, ReportInput, Thresholds, load_scorer
from classifier.persistence import find_model_file
from classifier.scorer import DEFAULT_MODEL_PATH
from classifier.thresholds import DEFAULT_COST_RATIO
from dispatch.ports import ReportRequest, ScoredReport
from dispatch.settings import Settings
from domain.incident import Incident
from domain.model_registry import ModelRegistry
from domain.values import Location


class ClassifierScoring:
    """Scores a report with the classifier (which never raises: failures score as genuine).

    A ``shadow`` scorer (a candidate model) scores the same report after the live one, only
    when the live score left at least half of the time budget: intake never waits for the
    shadow beyond the budget (the shadow's own budget is the other half).
    """

    def __init__(
        self, scorer: BatchScorer, shadow: BatchScorer | None = None, budget_ms: float = 50.0
    ) -> None:
        self.scorer = scorer
        self.shadow = shadow
        self.budget_ms = budget_ms

    @classmethod
    def from_settings(
        cls, settings: Settings, registry: ModelRegistry | None = None
    ) -> ClassifierScoring:
        """The scorer the settings ask for (model path, kill switch, thresholds, timeout).

        Live: ``SIAGA_CLASSIFIER_MODEL_PATH`` when set, else the registry's last promoted
        model, else the shipped one. Shadow: the registry's shadow model, if any.
        """
        dirs = model_dirs(settings)
        live_path = settings.classifier_model_path
        if live_path is None and registry is not None and registry.live is not None:
            live_path = find_model_file(registry.live, dirs)
        shadow_path = None
        if registry is not None and registry.shadow is not None:
            shadow_path = find_model_file(registry.shadow, dirs)
        budget = settings.classifier_timeout_ms
        limits = thresholds(settings)
        live = _loaded_scorer(live_path, settings.classifier_enabled, limits, budget)
        shadow = (
            _loaded_scorer(shadow_path, settings.classifier_enabled, limits, budget / 2)
            if shadow_path is not None
            else None
        )
        return cls(live, shadow, budget)

    def score_report(
        self,
        request: ReportRequest,
        location: Location | None,
        history: CallerHistory,
        now: datetime,
    ) -> ScoredReport:
        """The live score and, when a model runs in shadow and time allows, the shadow's."""
        started = time.perf_counter()
        report = report_input(request, location, now)
        score = self.scorer.score(report, history, now)
        # The band depends on the thresholds in force: record them so a rescore is exact.
        live = replace(score, thresholds=self.scorer.thresholds.to_dict())
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        if self.shadow is None or elapsed_ms > self.budget_ms / 2:
            return ScoredReport(live)
        candidate = self.shadow.score(report, history, now)
        return ScoredReport(live, candidate)


@functools.cache
def _loaded_scorer(
    path: Path | None, enabled: bool, limits: Thresholds | None, timeout_ms: float
) -> BatchScorer:
    """Load a model once per process and configuration (loading takes about a second)."""
    return load_scorer(path, enabled=enabled, thresholds=limits, timeout_ms=timeout_ms)


def model_dirs(settings: Settings) -> list[Path]:
    """Where model files are looked for by version: trained ones, the configured one's
    folder, the shipped ones."""
    dirs = [settings.var_dir / "models"]
    if settings.classifier_model_path is not None:
        dirs.append(settings.classifier_model_path.parent)
    return [*dirs, DEFAULT_MODEL_PATH.parent]


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
        hoax_observed=record.hoax_observed,
    )
