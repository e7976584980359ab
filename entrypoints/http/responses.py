"""Response envelopes of the incident and unit routes (the shapes inside are ``formats.models``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from domain.taxonomy import (
    Agency,
    Disposition,
    IncidentStatus,
    Priority,
    ScoreBand,
    UnitStatus,
    UnitType,
)
from formats.models import (
    CategoryJSON,
    EventJSON,
    IncidentJSON,
    RecommendationJSON,
    Shape,
    Time,
    UnitJSON,
)


class IntakeJSON(Shape):
    """``POST /api/reports``: the incident made (201) or found again for a retried report (200),
    with the routing advice of the moment."""

    created: bool
    incident: IncidentJSON
    recommendation: RecommendationJSON | None


class IncidentListJSON(Shape):
    """Incidents, newest first, as of log ``position``; ``total`` counts before ``limit``."""

    position: int | None
    total: int
    incidents: list[IncidentJSON]


class IncidentEventsJSON(Shape):
    """An incident's every event, oldest first."""

    incident_id: str
    events: list[EventJSON]


class RecommendationEnvelopeJSON(Shape):
    """The advice for an incident as of now (null when routing is not configured)."""

    recommendation: RecommendationJSON | None


class UnitListJSON(Shape):
    """Units, filtered by agency and status, as of log ``position``."""

    position: int | None
    units: list[UnitJSON]


class BoardLocationJSON(Shape):
    lat: float
    lon: float
    accuracy_m: float | None
    source: str | None


class BoardPlaceJSON(Shape):
    kelurahan: str | None
    kecamatan: str | None


class BoardIncidentJSON(Shape):
    """One incident on an agency's board, with its timers in seconds."""

    incident_id: str
    number: str
    status: IncidentStatus
    priority: Priority
    category: CategoryJSON
    location: BoardLocationJSON | None
    place: BoardPlaceJSON | None
    address_text: str | None
    band: ScoreBand | None
    verification_pending: bool
    callback_first: bool
    units: list[dict[str, Any]]
    escalations: list[str]
    stacked_calls: list[dict[str, Any]]
    reported_at: Time
    routed_at: Time | None
    acknowledged_at: Time | None
    first_unit_at: Time | None
    since_report_s: float | None
    since_route_s: float | None
    since_acknowledged_s: float | None
    version: int
    position: int


class BoardUnitJSON(Shape):
    """One of the agency's units on its board."""

    unit_id: str
    code: str
    callsign: str
    unit_type: UnitType
    station_id: str | None
    status: UnitStatus
    status_at: Time
    incident_id: str | None
    location: BoardLocationJSON | None
    location_at: Time | None
    version: int
    position: int


class BoardJSON(Shape):
    """An agency's board: active incidents (most urgent first), its units, the log position."""

    agency: Agency
    position: int | None
    incidents: list[BoardIncidentJSON]
    units: list[BoardUnitJSON]


class StationJSON(Shape):
    id: str
    name: str
    agency: Agency
    kind: str
    lat: float
    lon: float
    kecamatan: str | None
    kelurahan: str | None
    has_emergency_department: bool | None
    operator_type: str | None
    source: str
    full: bool


class StationListJSON(Shape):
    stations: list[StationJSON]


class CapacityJSON(Shape):
    station_id: str
    full: bool
    reason: str | None


class StatusLinkJSON(Shape):
    """A caller's status link: the whole URL, its path, and the number it was sent to."""

    url: str
    path: str
    sent_to: str | None


class MeJSON(Shape):
    role: str
    name: str
    agency: Agency | None
    actor: str


class LabelledJSON(Shape):
    code: str
    label_id: str
    label_en: str


class PriorityCodeJSON(Shape):
    code: Priority
    eido: int


class TaxonomyJSON(Shape):
    """The codes a client shows, with their labels, and the center's time zone."""

    timezone: str
    categories: list[LabelledJSON]
    agencies: list[LabelledJSON]
    priorities: list[PriorityCodeJSON]
    dispositions: list[Disposition]
    unit_statuses: list[UnitStatus]
    unit_types: list[UnitType]


class EscalationRulesJSON(Shape):
    ack_timeout_s: dict[str, float]
    processing_target_s: float
    unit_expected_for: list[Priority]
    watchdog_enabled: bool
    watchdog_interval_s: float


class HealthJSON(BaseModel):
    """``ok``, ``degraded`` (a part's check failed: 503) or ``unavailable`` (the store: 503);
    each part (feeds, projections, ...) adds its own entry."""

    model_config = ConfigDict(extra="allow")

    status: str
    position: int | None = None
    error: str | None = None


class TimelineJSON(Shape):
    """An incident's events with their log positions; times shown in ``timezone``."""

    incident_id: str
    number: str
    status: IncidentStatus
    version: int
    timezone: str
    events: list[EventJSON]


class RescoreJSON(Shape):
    """Every recorded score of an incident re-run with its own model version, compared."""

    incident_id: str
    number: str
    thresholds: dict[str, Any] | str
    scores: list[dict[str, Any]]
    all_reproduced: bool


class RebuildCheckJSON(Shape):
    """Each projection rebuilt from position 0 and compared with the live rows."""

    ok: bool
    projections: list[dict[str, Any]]


class VerificationJSON(Shape):
    """The hash chain and the signed checkpoints checked against the log."""

    ok: bool
    events_checked: int
    sealed_position: int
    sealed_events: int
    unsealed_events: int
    checkpoints: int
    last_checkpoint: dict[str, Any] | None
    first_problem: dict[str, Any] | None
    checkpoint_problems: list[dict[str, Any]]


class Document(BaseModel):
    """A document whose parts follow an outside or a long format (EIDO, KPI report, state at a
    moment): the fields below are always there; the format's own fields come with them."""

    model_config = ConfigDict(extra="allow")


class EidoJSON(Document):
    """An incident as a NENA EIDO-shaped document (docs/eido-mapping.md)."""


class StateJSON(Document):
    """The state as it was at a log position or a moment: ``incident``, ``board`` or ``open``."""


class KpiJSON(Document):
    """The KPI report of a period: each figure with the events it was computed from."""


class AgencyRecordJSON(Document):
    """An agency's weekly record against its targets, each figure linked to its events."""


class PublicFiguresJSON(Document):
    """The open data: period, suppression rule, data dictionary and rows (no personal data)."""
