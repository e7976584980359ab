"""Incidents, units, places and events as JSON: the shapes the API, the feeds and replay share."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.incident import Incident
from domain.unit import Unit
from domain.values import Location, Place

JSON = dict[str, Any]


def place_to_dict(place: Place) -> JSON:
    """A Place as plain JSON."""
    return {
        "kelurahan": place.kelurahan,
        "kelurahan_code": place.kelurahan_code,
        "kecamatan": place.kecamatan,
        "kecamatan_code": place.kecamatan_code,
        "inside_jurisdiction": place.inside_jurisdiction,
        "distance_outside_m": place.distance_outside_m,
    }


def location_out(location: Location | None) -> dict[str, Any] | None:
    """A Location as JSON."""
    if location is None:
        return None
    return {
        "lat": location.lat,
        "lon": location.lon,
        "accuracy_m": location.accuracy_m,
        "source": location.source.value,
    }


def incident_out(incident: Incident) -> dict[str, Any]:
    """An incident's current state as JSON (the IncidentPublic shape)."""
    return {
        "id": str(incident.id),
        "number": incident.number,
        "version": incident.version,
        "status": incident.status.value,
        "received_at": incident.received_at.isoformat(),
        "channel": incident.channel.value,
        "caller_number": incident.caller_number,
        "sim_present": incident.sim_present,
        "silent": incident.silent,
        "category": {
            "code": incident.category.value,
            "label_id": incident.category.label_id,
            "label_en": incident.category.label_en,
        },
        "priority": incident.priority.value,
        "eido_priority": incident.priority.eido,
        "description": incident.description,
        "location": location_out(incident.location),
        "place": place_to_dict(incident.place) if incident.place else None,
        "address_text": incident.address_text,
        "persons_involved": incident.persons_involved,
        "injuries": incident.injuries,
        "hazards": incident.hazards,
        "score": incident.score,
        "band": incident.band.value if incident.band else None,
        "verification": {
            "pending": incident.verification_pending,
            "callback_first": incident.callback_first,
            "flagged_at": incident.flagged_at.isoformat() if incident.flagged_at else None,
            "verified_genuine": incident.verified,
        },
        "agencies": [
            {
                "agency": agency.value,
                "routed_at": incident.routed_at[agency].isoformat(),
                "acknowledged_at": (
                    incident.acknowledged_at[agency].isoformat()
                    if agency in incident.acknowledged_at
                    else None
                ),
            }
            for agency in incident.agencies
        ],
        "units": [
            {"unit_id": str(u), "callsign": incident.unit_callsigns.get(u)}
            for u in incident.unit_ids
        ],
        "first_unit_at": incident.first_unit_at.isoformat() if incident.first_unit_at else None,
        "escalations": [e.value for e in incident.escalations],
        "notes": incident.notes,
        "primary": (
            {"incident_id": str(incident.primary_id), "number": incident.primary_number}
            if incident.primary_id
            else None
        ),
        "duplicates": incident.duplicates,
        "stacked_calls": [jsonable(call) for call in incident.stacked_calls],
        "disposition": incident.disposition.value if incident.disposition else None,
        "closed_at": incident.closed_at.isoformat() if incident.closed_at else None,
        "reported_by": incident.reported_by,
    }


def unit_out(unit: Unit) -> dict[str, Any]:
    """A unit's current state as JSON."""
    return {
        "id": str(unit.id),
        "code": unit.code,
        "callsign": unit.callsign,
        "agency": unit.agency.value,
        "unit_type": unit.unit_type.value,
        "station_id": unit.station_id,
        "status": unit.status.value,
        "status_at": unit.status_at.isoformat(),
        "incident_id": str(unit.incident_id) if unit.incident_id else None,
        "location": location_out(unit.location),
        "location_at": unit.location_at.isoformat() if unit.location_at else None,
        "version": unit.version,
    }


def jsonable(value: Any) -> Any:
    """Event data as JSON: enums by value, values by fields, times as ISO 8601."""
    from dataclasses import asdict, is_dataclass
    from enum import Enum

    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


EVENT_META = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def event_out(event: Any, position: int | None = None) -> dict[str, Any]:
    """One stored event as JSON: type, version, time, actor and data."""
    data = {k: v for k, v in vars(event).items() if k not in EVENT_META}
    return {
        "type": type(event).__name__,
        "aggregate_id": str(event.originator_id),
        "version": event.originator_version,
        "recorded_at": event.timestamp.isoformat(),
        "at": jsonable(data.pop("at", None)),
        "actor": data.pop("actor", None),
        "position": position,
        "data": jsonable(data),
    }
