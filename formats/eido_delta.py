"""The ``eido`` member of agency-feed incident deltas: a NENA EIDO-shaped subset.

It uses the identifiers, registry values and PIDF-LO of the full EIDO export
(``replay.eido``, docs/eido-mapping.md), so a CAD that reads both sees the same things, but it
is built from the incident's state after the delta's event alone (no history, no unit reads),
so it is cheap enough for every delta and the same live and on catch-up. What needs the
history (call component, agents, the closing reason, links) is in the full export,
``GET /api/audit/incidents/{id}/eido``. The classifier's score is never sent to agencies.
"""

from __future__ import annotations

from typing import Any

from domain.incident import Incident
from formats.eido_common import (
    ELEMENT,
    PSAP,
    agency_id,
    incident_classification,
    ref,
    stacked_call_note,
    urn,
)
from formats.eido_registry import AGENCY_TYPES
from formats.pidf_lo import pidf_lo


def eido(incident: Incident, updated_at: str) -> dict[str, Any]:
    """The EIDO subset of an incident as it is after an event recorded at ``updated_at``."""

    def prologue(component_id: str) -> dict[str, Any]:
        return {
            "$id": component_id,
            "lastUpdateTimeStamp": updated_at,
            "updatedByAgencyReference": ref(PSAP),
        }

    location_id = urn("locationid", f"{incident.id}-caller")
    located = incident.location is not None or incident.place is not None
    component = (
        prologue(urn("incidentid", incident.id))
        | incident_classification(incident)
        | {"locationReference": [ref(location_id)] if located else []}
    )
    if incident.disposition is not None:
        component["dispositionComponent"] = [
            {"dispositionCommonRegistryCode": incident.disposition.value}
        ]
    document = prologue(urn("incidentid", incident.id)) | {
        "eidoVersion": "1.0",
        "issuingElementIdentification": ELEMENT,
        "incidentComponent": component,
        "locationComponent": [_location(incident, prologue(location_id))] if located else [],
        "agencyComponent": [
            prologue(agency_id(a))
            | {
                "organizationIdentification": agency_id(a),
                "agencyRoleDescriptionRegistryText": ["Responding"],
                "agencyType": [AGENCY_TYPES[a]],
                "incidentOwningAgencyIndicator": False,
            }
            for a in incident.agencies
        ],
        "emergencyResourceComponent": [
            prologue(urn("unitid", unit_id))
            | {
                "emergencyResourceName": incident.unit_callsigns.get(unit_id),
                "unitStatusInternal": ["assigned"],
            }
            for unit_id in incident.unit_ids
        ],
        "notesComponent": [
            prologue(urn("noteid", f"{incident.id}-note-{n}"))
            | {"notesActionComments": note["text"], "agentReference": ref(note["actor"])}
            for n, note in enumerate(incident.notes, start=1)
        ]
        + [
            prologue(urn("noteid", f"{incident.id}-caller-{call.duplicate_number}"))
            | {"notesActionComments": stacked_call_note(call), "agentReference": ref(call.actor)}
            for call in incident.stacked_calls
        ],
    }
    return document


def _location(incident: Incident, body: dict[str, Any]) -> dict[str, Any]:
    body["locationTypeDescriptionRegistryText"] = "Caller"
    body["locationByValue"] = pidf_lo(
        incident.location,
        incident.place,
        incident.address_text,
        entity=str(incident.id),
        domain=ELEMENT,
    )
    place = incident.place
    names = (
        incident.address_text,
        place.kelurahan if place else None,
        place.kecamatan if place else None,
    )
    description = ", ".join(n for n in names if n)
    if description:
        body["locationDescriptionText"] = description
    return body
