"""An incident as a NENA EIDO-shaped JSON document (NENA-STA-021.1a; see docs/eido-mapping.md).

Components reference each other by ``$ref`` to their ``$id``. Registry values follow NENA's
published samples where known; where the registry lists were not available to us the value is
our own English term, and docs/eido-mapping.md says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from dispatch.center import DispatchCenter
from dispatch.errors import UnitNotFound
from domain.incident import Incident
from domain.taxonomy import Agency
from domain.unit import Unit
from domain.values import Place
from formats.eido_common import (
    CONTEXT,
    ELEMENT,
    PSAP,
    agency_id,
    incident_classification,
    ref,
    stacked_call_note,
    urn,
)
from formats.eido_registry import AGENCY_TYPES, RESOURCE_TYPES, UNIT_STATUSES
from formats.pidf_lo import pidf_lo
from replay.lookup import known_incident


def eido(center: DispatchCenter, reference: str) -> dict[str, Any]:
    """The EIDO document of one incident (by id or radio number), as it is now."""
    incident = center.get_incident(known_incident(center, reference))
    events = center.incident_events(incident.id)
    return _Builder(center, incident, events).document()


class _Builder:
    def __init__(self, center: DispatchCenter, incident: Incident, events: list[Any]) -> None:
        self.center = center
        self.incident = incident
        self.events = events
        self.agents: dict[str, str] = {}  # actor -> agency $id

    def _prologue(self, component_id: str, at: datetime, actor: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "$id": component_id,
            "lastUpdateTimeStamp": at.isoformat(),
            "updatedByAgencyReference": ref(PSAP),
        }
        if actor:
            self.agents.setdefault(actor, PSAP)
            body["updatedByAgentReference"] = ref(actor)
        return body

    def document(self) -> dict[str, Any]:
        i, last = self.incident, self.events[-1]
        body: dict[str, Any] = self._prologue(urn("incidentid", i.id), i.modified_on, last.actor)
        body |= {"eidoVersion": "1.0", "issuingElementIdentification": ELEMENT}
        body["incidentComponent"] = self._incident()
        body["callComponent"] = [self._call()]
        if i.caller_number:
            body["callbackComponent"] = [self._callback()]
        body["locationComponent"] = self._locations()
        dispatches, resources = self._dispatches()
        body["dispatchComponent"] = dispatches
        body["emergencyResourceComponent"] = resources
        body["notesComponent"] = self._notes()
        links = self._links()
        if links:
            body["linkComponent"] = links
        body["agencyComponent"] = self._agencies()
        body["agentComponent"] = self._agents()
        body["@context"] = CONTEXT
        return body

    def _incident(self) -> dict[str, Any]:
        i = self.incident
        body = self._prologue(urn("incidentid", i.id), i.modified_on, self.events[-1].actor)
        body |= incident_classification(i) | {
            "reportNumberType": "Reopened"
            if any(isinstance(e, Incident.Reopened) for e in self.events)
            else "New",
            "locationReference": [ref(self._location_id())] if i.location or i.place else [],
            "agentReference": [ref(i.reported_by)],
        }
        closed = [e for e in self.events if isinstance(e, Incident.Closed)]
        if i.is_closed and closed:
            body["dispositionComponent"] = [
                {
                    **self._prologue(
                        urn("dispositionid", _event_key(closed[-1])), closed[-1].at, None
                    ),
                    "dispositionCommonRegistryCode": closed[-1].disposition.value,
                    "dispositionPrimaryIndicator": True,
                    "dispositionDescriptionText": closed[-1].reason,
                }
            ]
        return body

    def _location_id(self) -> str:
        return urn("locationid", f"{self.incident.id}-caller")

    def _call(self) -> dict[str, Any]:
        i, reported = self.incident, self.events[0]
        body = self._prologue(urn("callid", i.report_id), reported.at, i.reported_by)
        body |= {
            "queueIdentifier": f"112@{ELEMENT}",
            "standardPrimaryCallType": "emergency",
            "localCallType": i.channel.value,
            "direction": "incoming",
            "callStartTimestamp": i.received_at.isoformat(),
            "callStateRegistryText": "callEnded",
            "agentReference": [ref(i.reported_by)],
        }
        if i.location or i.place:
            body["locationReference"] = [ref(self._location_id())]
        if i.caller_number:
            body["callBackReference"] = ref(urn("callbackid", i.report_id))
        return body

    def _callback(self) -> dict[str, Any]:
        i = self.incident
        body = self._prologue(urn("callbackid", i.report_id), self.events[0].at, None)
        return body | {"callBackInformationUri": [f"tel:{i.caller_number}"]}

    def _locations(self) -> list[dict[str, Any]]:
        i = self.incident
        if not (i.location or i.place):
            return []
        body = self._prologue(self._location_id(), self.events[0].at, i.reported_by)
        body["locationTypeDescriptionRegistryText"] = "Caller"
        body["locationByValue"] = pidf_lo(
            i.location, i.place, i.address_text, entity=str(i.id), domain=ELEMENT
        )
        description = ", ".join(x for x in (i.address_text, *_place_names(i.place)) if x)
        if description:
            body["locationDescriptionText"] = description
        return [body]

    def _dispatches(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        i = self.incident
        routed = {a: e for e in self.events if isinstance(e, Incident.Routed) for a in e.agencies}
        assigned = [e for e in self.events if isinstance(e, Incident.UnitAssigned)]
        resources = {e.unit_id: self._resource(e) for e in assigned}
        dispatches = []
        for agency in i.agencies:
            event = routed[agency]
            body = self._prologue(
                urn("dispatchid", f"{i.id}-{agency.value}"), event.at, event.actor
            )
            body |= {
                "agencyReference": ref(agency_id(agency)),
                "agentReference": ref(event.actor),
                "emergencyResourceReference": [
                    ref(resources[e.unit_id]["$id"]) for e in assigned if e.agency is agency
                ],
            }
            dispatches.append(body)
        return dispatches, list(resources.values())

    def _resource(self, assigned: Incident.UnitAssigned) -> dict[str, Any]:
        unit = self._unit(assigned.unit_id)
        on_this = unit is not None and unit.incident_id == self.incident.id
        status = unit.status if unit is not None and on_this else None
        body = self._prologue(urn("unitid", assigned.unit_id), assigned.at, assigned.actor)
        body |= {
            "emergencyResourceName": assigned.callsign,
            "emergencyResourceTypeCommonRegistryText": (
                RESOURCE_TYPES[unit.unit_type] if unit else "Unknown"
            ),
            "emergencyResourceTypeInternalText": unit.unit_type.value if unit else "unknown",
            "primaryUnitStatusRegistryText": UNIT_STATUSES[status] if status else "Released",
            "unitStatusInternal": [status.value if status else "released"],
            "agentReference": [ref(agency_id(assigned.agency))],
        }
        return body

    def _unit(self, unit_id: UUID) -> Unit | None:
        try:
            return self.center.get_unit(unit_id)
        except UnitNotFound:
            return None

    def _notes(self) -> list[dict[str, Any]]:
        i, reported = self.incident, self.events[0]
        summary = []
        if i.description:  # the caller's words as the call-taker wrote them
            summary.append(
                self._prologue(urn("noteid", _event_key(reported)), reported.at, i.reported_by)
                | {"notesActionComments": i.description, "agentReference": ref(i.reported_by)}
            )
        notes = [
            (e, e.text if isinstance(e, Incident.NoteAdded) else stacked_call_note(e))
            for e in self.events
            if isinstance(e, Incident.NoteAdded | Incident.StackedCallAdded)
        ]
        return summary + [
            self._prologue(urn("noteid", _event_key(e)), e.at, e.actor)
            | {"notesActionComments": text, "agentReference": ref(e.actor)}
            for e, text in notes
        ]

    def _links(self) -> list[dict[str, Any]]:
        links = []
        for e in self.events:
            if isinstance(e, Incident.LinkedAsDuplicate):
                other, direction = e.primary_id, "PARENT"
            elif isinstance(e, Incident.DuplicateLinked):
                other, direction = e.duplicate_id, "CHILD"
            else:
                continue
            links.append(
                self._prologue(urn("linkid", _event_key(e)), e.at, e.actor)
                | {
                    "incidentTrackingIdentification": urn("incidentid", other),
                    "linkDirectionCode": direction,
                    "transactionReasonText": "duplicate report",
                }
            )
        return links

    def _agencies(self) -> list[dict[str, Any]]:
        at = self.incident.modified_on
        psap = self._prologue(PSAP, at, None) | {
            "organizationIdentification": PSAP,
            "agencyRoleDescriptionRegistryText": ["CallReceiving", "Dispatch"],
            "agencyType": ["psap"],
            "incidentOwningAgencyIndicator": True,
        }
        return [psap] + [
            self._prologue(agency_id(a), at, None)
            | {
                "organizationIdentification": agency_id(a),
                "agencyRoleDescriptionRegistryText": ["Responding"],
                "agencyType": [AGENCY_TYPES[a]],
                "incidentOwningAgencyIndicator": False,
            }
            for a in self.incident.agencies
        ]

    def _agents(self) -> list[dict[str, Any]]:
        agents = []
        for actor in self.agents:
            role = "Automaton" if actor.startswith("system:") else _agent_role(actor)
            agents.append(
                {
                    "$id": actor,
                    "lastUpdateTimeStamp": self.incident.modified_on.isoformat(),
                    "updatedByAgencyReference": ref(PSAP),
                    "agentIdentification": actor,
                    "agentRoleRegistryText": [role],
                    "agencyReference": ref(_actor_agency(actor)),
                }
            )
        return agents


def _event_key(event: Any) -> str:
    return f"{event.originator_id}-{event.originator_version}"


def _agent_role(actor: str) -> str:
    if actor.startswith("agency:"):
        return "Responding"
    return "Supervisor" if actor.startswith("supervisor:") else "Call Taking"


def _actor_agency(actor: str) -> str:
    if actor.startswith("agency:"):
        code = actor.split(":", 1)[1].split("/", 1)[0]
        if code in {a.value for a in Agency}:
            return agency_id(Agency(code))
    return PSAP


def _place_names(place: Place | None) -> tuple[str | None, ...]:
    if place is None:
        return ()
    return (place.kelurahan, place.kecamatan)
