"""What DispatchCenter needs from geography, routing advice and scoring (adapters fill them)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from classifier import CallerHistory
from dispatch.advice import OpenIncidentSnapshot, Recommendation, UnitSnapshot
from domain.incident import Incident
from domain.score import Score, unscored
from domain.taxonomy import Category, Channel, EscalationReason, Priority
from domain.values import Location, Place


@dataclass(frozen=True)
class ReportRequest:
    """A validated report as the call-taker recorded it (the intake schema, typed)."""

    report_id: UUID
    channel: Channel
    description: str
    category: Category = Category.LAINNYA
    received_at: datetime | None = None
    caller_number: str | None = None
    sim_present: bool | None = None
    call_duration_s: float | None = None
    first_speech_s: float | None = None
    silent: bool | None = None
    location: Location | None = None
    kelurahan: str | None = None
    aml: str | None = None
    address_text: str | None = None
    persons_involved: int | None = None
    injuries: int | None = None
    hazards: tuple[str, ...] = ()
    priority: Priority | None = None
    disaster_context: bool = False
    hoax_observed: bool = False  # the call-taker's tick: "penelepon tertawa / mengaku bercanda"


@dataclass(frozen=True)
class IntakeResult:
    """What intake returns: the incident, whether it is new, and the advice around it."""

    incident: Incident
    created: bool
    recommendation: Recommendation | None = None


class Geography(Protocol):
    """Turns what a caller said into a point and a place."""

    def locate(self, location: Location) -> Place: ...

    def resolve_kelurahan(self, name: str) -> tuple[Location, Place]: ...

    def parse_aml(self, sms: str) -> Location: ...


class Fleet(Protocol):
    """What advice reads (the present): units and open incidents as the router needs them,
    and which of them changed after a log position."""

    def routing_changes(self, since: int) -> tuple[int, set[UUID]] | None: ...

    def routing_snapshots(
        self,
    ) -> tuple[int, list[UnitSnapshot], list[OpenIncidentSnapshot]]: ...

    def unit_snapshot(self, unit_id: UUID) -> UnitSnapshot | None: ...

    def incident_snapshot(self, incident_id: UUID) -> OpenIncidentSnapshot | None: ...

    def full_facilities(self) -> set[str]: ...


class Advisor(Protocol):
    """Recommends agencies, stations, units and duplicates for a report."""

    def default_priority(self, category: Category, *, injuries: int | None) -> Priority: ...

    def advise(self, incident: Incident, *, fleet: Fleet, at: datetime) -> Recommendation: ...


@dataclass(frozen=True)
class ScoredReport:
    """What intake records for one report: the live score (``Scored``: band, flags, reasons
    on screen) and, when a candidate model runs in shadow, its score (``ShadowScored``: for
    the promotion gate only, never shown, never used for the band or flags)."""

    live: Score
    shadow: Score | None = None


class Scoring(Protocol):
    """Scores a report before it is routed; never raises, never decides."""

    def score_report(
        self,
        request: ReportRequest,
        location: Location | None,
        history: CallerHistory,
        now: datetime,
    ) -> ScoredReport: ...


__all__ = [
    "Advisor",
    "Fleet",
    "Geography",
    "IntakeResult",
    "ReportRequest",
    "ScoredReport",
    "Scoring",
    "unscored",
]


class Escalations(Protocol):
    """Which escalations are due for an incident's timers, and when the next could be (the
    routing rules' ``EscalationPolicy`` in the adapters)."""

    def due(
        self,
        *,
        priority: Priority,
        routed_at: datetime | None,
        acknowledged: bool,
        first_unit_at: datetime | None,
        reported_at: datetime,
        already: Collection[EscalationReason],
        now: datetime,
    ) -> list[EscalationReason]:
        """The reasons to escalate now that were not escalated before."""
        ...

    def next_check(
        self,
        *,
        priority: Priority,
        routed_at: datetime | None,
        acknowledged: bool,
        first_unit_at: datetime | None,
        reported_at: datetime,
        already: Collection[EscalationReason],
    ) -> datetime | None:
        """The first moment a reason could be due (None: none ever, as things stand)."""
        ...
