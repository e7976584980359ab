"""What advice takes (snapshots of units and open incidents) and gives (recommendations): the
values the application's advisor port speaks, which the routing engine (``adapters.routing``)
computes.

All frozen; every output has ``to_dict()`` giving plain JSON types, enums as their values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from domain.taxonomy import Agency, Category, Priority, UnitStatus, UnitType
from domain.values import Location, Place
from formats.incident_json import place_to_dict

JSON = dict[str, Any]


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value.isoformat()}")


@dataclass(frozen=True)
class UnitSnapshot:
    """A unit as the router needs it: who, what, status, home station, last position."""

    unit_id: UUID
    callsign: str
    agency: Agency
    unit_type: UnitType
    status: UnitStatus
    station_id: str
    location: Location | None
    location_at: datetime | None

    def __post_init__(self) -> None:
        _require_aware("location_at", self.location_at)


@dataclass(frozen=True)
class OpenIncidentSnapshot:
    """An incident not yet closed, as the duplicate check needs it."""

    incident_id: UUID
    number: str
    category: Category
    location: Location | None
    received_at: datetime
    caller_number: str | None = None
    agencies: tuple[Agency, ...] = ()  # routed to these (empty: not routed yet)

    def __post_init__(self) -> None:
        _require_aware("received_at", self.received_at)


def location_to_dict(location: Location) -> JSON:
    """A Location as plain JSON."""
    return {
        "lat": location.lat,
        "lon": location.lon,
        "accuracy_m": location.accuracy_m,
        "source": location.source.value,
    }


@dataclass(frozen=True)
class Station:
    """A police station, fire post or hospital from the stations data."""

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

    def to_dict(self) -> JSON:
        """Plain JSON."""
        return {
            "id": self.id,
            "name": self.name,
            "agency": self.agency.value,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "kecamatan": self.kecamatan,
            "kelurahan": self.kelurahan,
            "has_emergency_department": self.has_emergency_department,
            "operator_type": self.operator_type,
            "source": self.source,
        }


@dataclass(frozen=True)
class StationChoice:
    """The station responsible for, or nearest to, an incident for one agency."""

    agency: Agency
    station_id: str
    name: str
    kind: str
    basis: str  # "jurisdiction", "fallback" (no Polsek known for the kecamatan) or "nearest"
    distance_m: float | None
    lat: float
    lon: float
    explanation_id: str
    explanation_en: str

    def to_dict(self) -> JSON:
        """Plain JSON."""
        return {
            "agency": self.agency.value,
            "station_id": self.station_id,
            "name": self.name,
            "kind": self.kind,
            "basis": self.basis,
            "distance_m": self.distance_m,
            "lat": self.lat,
            "lon": self.lon,
            "explanation_id": self.explanation_id,
            "explanation_en": self.explanation_en,
        }


class PositionSource(Enum):
    """Where a recommended unit is assumed to be, and so how far its ETA can be trusted."""

    REPORTED = "reported"  # a position reported within the freshness limit
    STATION = "station"  # no fresh position: assumed at its home station
    LAST_KNOWN = "last_known"  # no fresh position and no known station: its last report


@dataclass(frozen=True)
class UnitRecommendation:
    """One available unit proposed for an incident, with why and how sure the ETA is."""

    unit_id: UUID
    callsign: str
    agency: Agency
    unit_type: UnitType
    distance_m: float
    eta_s: float
    explanation_id: str
    explanation_en: str
    position_source: PositionSource = PositionSource.REPORTED
    position_age_s: float | None = None  # age of the last reported position; None: never
    eta_certain: bool = True  # False unless the position is a fresh report
    via_bridge: str | None = None  # the Mahakam bridge the route crosses, if any

    @property
    def from_home_station(self) -> bool:
        """Whether the unit is placed at its home station (no fresh position)."""
        return self.position_source is PositionSource.STATION

    def to_dict(self) -> JSON:
        """Plain JSON."""
        return {
            "unit_id": str(self.unit_id),
            "callsign": self.callsign,
            "agency": self.agency.value,
            "unit_type": self.unit_type.value,
            "distance_m": self.distance_m,
            "eta_s": self.eta_s,
            "explanation_id": self.explanation_id,
            "explanation_en": self.explanation_en,
            "position_source": self.position_source.value,
            "position_age_s": self.position_age_s,
            "eta_certain": self.eta_certain,
            "via_bridge": self.via_bridge,
            "from_home_station": self.from_home_station,
        }


class UnitGap(Enum):
    """Why a responsible agency gets no unit in a recommendation."""

    NONE_REGISTERED = "none_registered"  # the agency has no unit in the fleet at all
    NONE_AVAILABLE = "none_available"  # every unit is committed or out of service
    UNLOCATED = "unlocated"  # available units with neither a position nor a known station


@dataclass(frozen=True)
class AgencyUnitNote:
    """Said once per agency: it has no unit to propose, or units that cannot be placed."""

    agency: Agency
    gap: UnitGap
    registered: int
    explanation_id: str
    explanation_en: str

    def to_dict(self) -> JSON:
        """Plain JSON."""
        return {
            "agency": self.agency.value,
            "gap": self.gap.value,
            "registered": self.registered,
            "explanation_id": self.explanation_id,
            "explanation_en": self.explanation_en,
        }


@dataclass(frozen=True)
class DuplicateSuggestion:
    """An open incident that may be the same emergency as a new report, and why."""

    incident_id: UUID
    number: str
    distance_m: float | None  # None when either has no location (a same-caller match)
    age_s: float  # report time minus the incident's; negative if the incident is newer
    category: Category
    same_caller: bool = False
    same_category: bool = False
    uncertainty_m: float | None = None  # both locations' accuracies added
    agencies: tuple[Agency, ...] = ()  # the incident is already routed to these
    explanation_id: str = ""
    explanation_en: str = ""

    def to_dict(self) -> JSON:
        """Plain JSON."""
        return {
            "incident_id": str(self.incident_id),
            "number": self.number,
            "distance_m": self.distance_m,
            "age_s": self.age_s,
            "category": self.category.value,
            "same_caller": self.same_caller,
            "same_category": self.same_category,
            "uncertainty_m": self.uncertainty_m,
            "agencies": [a.value for a in self.agencies],
            "explanation_id": self.explanation_id,
            "explanation_en": self.explanation_en,
        }


@dataclass(frozen=True)
class KelurahanMatch:
    """A kelurahan found by name, with a representative point for routing."""

    place: Place
    location: Location
    matched_name: str
    score: float

    def to_dict(self) -> JSON:
        """Plain JSON."""
        return {
            "place": place_to_dict(self.place),
            "location": location_to_dict(self.location),
            "matched_name": self.matched_name,
            "score": self.score,
        }


@dataclass(frozen=True)
class Recommendation:
    """Everything the intake response needs from routing, from one call."""

    place: Place | None
    agencies: tuple[Agency, ...]
    priority: Priority
    stations: tuple[StationChoice, ...]
    units: tuple[UnitRecommendation, ...]
    duplicates: tuple[DuplicateSuggestion, ...]
    ack_timeout_s: float
    unit_notes: tuple[AgencyUnitNote, ...] = ()
    duplicates_total: int = 0  # all the incidents that matched; ``duplicates`` are the best

    def to_dict(self) -> JSON:
        """Plain JSON."""
        return {
            "place": None if self.place is None else place_to_dict(self.place),
            "agencies": [a.value for a in self.agencies],
            "priority": self.priority.value,
            "stations": [s.to_dict() for s in self.stations],
            "units": [u.to_dict() for u in self.units],
            "duplicates": [d.to_dict() for d in self.duplicates],
            "duplicates_total": self.duplicates_total,
            "ack_timeout_s": self.ack_timeout_s,
            "unit_notes": [n.to_dict() for n in self.unit_notes],
        }
