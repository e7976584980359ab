"""The JSON shapes of ``formats.incident_json`` and the recommendation, as pydantic models.

The API declares them as response models, so ``/docs`` and ``/openapi.json`` show every field,
and a response that drifts from its shape fails (``extra="forbid"``) instead of reaching a
client. Times are ISO 8601 text exactly as the functions write them (``date-time`` in the
schema); codes are the taxonomy's values.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from domain.taxonomy import (
    Agency,
    Category,
    Channel,
    Disposition,
    EscalationReason,
    IncidentStatus,
    LocationSource,
    Priority,
    ScoreBand,
    UnitStatus,
    UnitType,
)

Time = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class Shape(BaseModel):
    """A response shape: every field declared, nothing else let through."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocationJSON(Shape):
    lat: float
    lon: float
    accuracy_m: float | None
    source: LocationSource


class PlaceJSON(Shape):
    kelurahan: str | None
    kelurahan_code: str | None
    kecamatan: str | None
    kecamatan_code: str | None
    inside_jurisdiction: bool
    distance_outside_m: float | None


class CategoryJSON(Shape):
    code: Category
    label_id: str
    label_en: str


class ReasonJSON(Shape):
    code: str
    text_id: str
    text_en: str
    weight: float


class ScoreJSON(Shape):
    """The classifier's advice as recorded (features and per-class probabilities stay in the
    event log, for audit and rescore)."""

    model_version: str
    p_false: float
    band: ScoreBand
    reasons: list[ReasonJSON]
    safety_rule: str | None
    callback_first: bool
    thresholds: dict[str, Any] | None


class VerificationJSON(Shape):
    pending: bool
    callback_first: bool
    flagged_at: Time | None
    verified_genuine: bool | None


class RoutedAgencyJSON(Shape):
    agency: Agency
    routed_at: Time
    acknowledged_at: Time | None


class AssignedUnitJSON(Shape):
    unit_id: str
    callsign: str | None


class IncidentRefJSON(Shape):
    incident_id: str
    number: str | None


class StackedCallJSON(Shape):
    """What a further caller said, linked to this incident as a duplicate."""

    duplicate_id: str
    duplicate_number: str
    received_at: Time
    caller_number: str | None
    category: Category
    description: str
    injuries: int | None
    persons_involved: int | None
    location: LocationJSON | None
    place: PlaceJSON | None
    address_text: str | None
    hazards: list[str]
    actor: str
    at: Time


class NoteJSON(Shape):
    text: str
    actor: str
    at: Time


class IncidentJSON(Shape):
    """An incident's current state (``GET /api/incidents/{id}``, feeds, replay state)."""

    id: str
    number: str
    version: int
    status: IncidentStatus
    received_at: Time
    channel: Channel
    caller_number: str | None
    sim_present: bool | None
    silent: bool | None
    category: CategoryJSON
    priority: Priority
    eido_priority: int
    description: str
    location: LocationJSON | None
    place: PlaceJSON | None
    address_text: str | None
    persons_involved: int | None
    injuries: int | None
    hazards: list[str]
    score: ScoreJSON | None
    band: ScoreBand | None
    verification: VerificationJSON
    agencies: list[RoutedAgencyJSON]
    units: list[AssignedUnitJSON]
    first_unit_at: Time | None
    escalations: list[EscalationReason]
    notes: list[NoteJSON]
    primary: IncidentRefJSON | None
    duplicates: list[IncidentRefJSON]
    stacked_calls: list[StackedCallJSON]
    disposition: Disposition | None
    closed_at: Time | None
    reported_by: str


class UnitJSON(Shape):
    """A unit's current state."""

    id: str
    code: str
    callsign: str
    agency: Agency
    unit_type: UnitType
    station_id: str | None
    status: UnitStatus
    status_at: Time
    incident_id: str | None
    location: LocationJSON | None
    location_at: Time | None
    version: int


class EventJSON(Shape):
    """One stored event: its type, aggregate, version, log position, time, actor and data."""

    type: str
    aggregate_id: str
    version: int
    recorded_at: Time
    at: Time | None
    actor: str | None
    position: int | None
    data: dict[str, Any]


class StationChoiceJSON(Shape):
    agency: Agency
    station_id: str
    name: str
    kind: str
    basis: str
    distance_m: float | None
    lat: float
    lon: float
    explanation_id: str
    explanation_en: str


class UnitRecommendationJSON(Shape):
    unit_id: str
    callsign: str
    agency: Agency
    unit_type: UnitType
    distance_m: float
    eta_s: float
    explanation_id: str
    explanation_en: str
    position_source: str
    position_age_s: float | None
    eta_certain: bool
    via_bridge: str | None
    from_home_station: bool


class DuplicateSuggestionJSON(Shape):
    incident_id: str
    number: str
    distance_m: float | None
    age_s: float
    category: Category
    same_caller: bool
    same_category: bool
    uncertainty_m: float | None
    agencies: list[Agency]
    explanation_id: str
    explanation_en: str


class UnitNoteJSON(Shape):
    agency: Agency
    gap: str
    registered: int
    explanation_id: str
    explanation_en: str


class RecommendationJSON(Shape):
    """Agencies, stations, units and duplicate suggestions for an incident, as of now."""

    place: PlaceJSON | None
    agencies: list[Agency]
    priority: Priority
    stations: list[StationChoiceJSON]
    units: list[UnitRecommendationJSON]
    duplicates: list[DuplicateSuggestionJSON]  # the best few, ranked
    duplicates_total: int  # how many open incidents matched (``duplicates`` shows the best)
    ack_timeout_s: float
    unit_notes: list[UnitNoteJSON]
