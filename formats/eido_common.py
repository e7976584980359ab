"""EIDO pieces shared by the live feed's delta and the audit export (NENA-STA-021.1a).

Identifiers, references and the incident classification, so a CAD that reads both sees the same
things; see docs/eido-mapping.md.
"""

from __future__ import annotations

from typing import Any

from domain.incident import Incident
from domain.taxonomy import Agency
from domain.values import StackedCall
from formats.eido_registry import INCIDENT_TYPES

ELEMENT = "siaga112.samarindakota.go.id"
PSAP = f"112.{ELEMENT}"
CONTEXT = {"@vocab": "./JSON-LD_Contexts/EmergencyIncidentDataObjectType.jsonld"}


def urn(kind: str, value: object) -> str:
    """A globally unique EIDO identifier of one of our things."""
    return f"urn:emergency:uid:{kind}:{value}:{ELEMENT}"


def agency_id(agency: Agency) -> str:
    """The agency identifier we give a responder agency."""
    return f"{agency.value}.{ELEMENT}"


def ref(target: str) -> dict[str, str]:
    """A reference to a component."""
    return {"$ref": target}


def incident_classification(incident: Incident) -> dict[str, Any]:
    """The EIDO incident fields shared by the live feed and the audit export."""
    fields: dict[str, Any] = {
        "incidentTypeInternalCode": incident.category.value,
        "incidentTypeInternalText": incident.category.label_id,
        "incidentTypeCommonRegistryText": INCIDENT_TYPES[incident.category],
        "incidentStatusInternalText": [incident.status.value],
        "incidentStatusCommonRegistryText": "Closed" if incident.is_closed else "Active",
        "internalIncidentId": incident.number,
        "incidentPriorityInternalText": incident.priority.value,
        "incidentCommonPriorityNumber": incident.priority.eido,
    }
    if incident.place and incident.place.kecamatan:
        fields["beatOrDispatchGroupText"] = incident.place.kecamatan
    return fields


def stacked_call_note(call: Incident.StackedCallAdded | StackedCall) -> str:
    """A further caller's words as an EIDO note (the update from a second caller)."""
    injuries = "" if call.injuries is None else f"; korban luka/injured: {call.injuries}"
    return f"Penelepon lain/another caller ({call.duplicate_number}): {call.description}{injuries}"
