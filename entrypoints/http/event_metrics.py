"""Counters and histograms of the dispatch floor, fed from the event log the present follows.

Every node's present applies every event of the store, whichever node wrote it, so these count
what happened on the whole floor since this process started following the log (a restart
starts them again from zero, as Prometheus counters do); with several nodes, read them with
``max``, not ``sum``. Durations come from the times the events carry (``at``), never from
when this process happened to read them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client import Counter, Histogram
from prometheus_client.metrics_core import Metric

from dispatch.present import Applied, Present
from domain.incident import Incident
from domain.taxonomy import EscalationReason, ScoreBand

# NFPA 1225 counts in tens of seconds up to the 60 s processing target; a bad day in hours.
RESPONSE_BUCKETS = (5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800, 3600)


class EventMetrics:
    """Escalations, classifier bands and the report→route / report→first-unit times."""

    def __init__(self, present: Present) -> None:
        self.escalations = Counter(
            "siaga112_escalations",
            "Escalations by the watchdog, by reason",
            ["reason"],
            registry=None,
        )
        self.bands = Counter(
            "siaga112_classifier_scores",
            "Reports scored by the false-call classifier, by band",
            ["band"],
            registry=None,
        )
        self.report_to_route = Histogram(
            "siaga112_report_to_route_seconds",
            "From the call's receipt to its first routing to an agency",
            buckets=RESPONSE_BUCKETS,
            registry=None,
        )
        self.report_to_first_unit = Histogram(
            "siaga112_report_to_first_unit_seconds",
            "From the call's receipt to the first unit dispatched (NFPA 1225 processing)",
            buckets=RESPONSE_BUCKETS,
            registry=None,
        )
        for reason in EscalationReason:
            self.escalations.labels(reason.value)
        for band in ScoreBand:
            self.bands.labels(band.value)
        self.since = present.observe(self.observe)

    def observe(self, applied: Applied) -> None:
        """Count one event the present has just applied (events at or before start-up are not
        counted: they happened before this process was watching)."""
        event, incident = applied.event, applied.aggregate
        if applied.position <= self.since:
            return
        if isinstance(event, Incident.Escalated):
            self.escalations.labels(event.reason.value).inc()
        elif isinstance(event, Incident.Scored):
            self.bands.labels(event.band.value).inc()
        elif isinstance(event, Incident.Routed | Incident.UnitAssigned):
            assert isinstance(incident, Incident)
            self._timed(event, incident)

    def _timed(self, event: Any, incident: Incident) -> None:
        since_report = (event.at - incident.received_at).total_seconds()
        if isinstance(event, Incident.Routed):
            if min(incident.routed_at.values()) == event.at:  # the first routing only
                self.report_to_route.observe(since_report)
        elif incident.first_unit_at == event.at:
            self.report_to_first_unit.observe(since_report)

    def collect(self) -> Iterator[Metric]:
        """The families, for a collector to yield."""
        for metric in (
            self.escalations,
            self.bands,
            self.report_to_route,
            self.report_to_first_unit,
        ):
            yield from metric.collect()
