"""What the feeds know: incidents and units as of a log position, and who sees each change.

One ``FeedState`` applies events in log order and says, for each, what changed (a
``Change``: the public JSON of the incident or unit after the event, and which agencies
may see it). The live hub and the catch-up after a reconnect use the same class, so a
client gets the same deltas whether it was connected or comes back later.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.incident import Incident, StackedCall
from domain.taxonomy import Agency
from domain.unit import Unit
from formats.eido_delta import eido
from formats.incident_json import incident_out, location_out, place_to_dict, unit_out

Doc = dict[str, Any]
Loader = Callable[[UUID], Aggregate | None]


def _events_of(aggregate: type[Aggregate]) -> list[type[Aggregate.Event]]:
    return [
        value
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in ("Event", "Created")
    ]


FEED_TOPICS = tuple(sorted(get_topic(e) for e in _events_of(Incident) + _events_of(Unit)))
"""The stored events the feeds read (the day ledgers' are left in the database)."""


@dataclass(frozen=True)
class Change:
    """What one event changed, and who may see it."""

    position: int
    event: str
    kind: Literal["incident", "unit"]
    doc: Doc
    agencies: frozenset[str]
    """incident: the agencies it is routed to; unit: its agency and those of its incident."""
    closed: bool
    eido: Doc | None = None
    """incident deltas: the NENA EIDO-shaped subset agencies receive."""
    update: Doc | None = None
    """what the event brings that the incident's state does not say by itself (a further
    caller's words: "update from a second caller")."""


@dataclass(frozen=True)
class Audience:
    """Who a feed is for: one agency, or the console (agency None)."""

    agency: Agency | None = None

    @property
    def kind(self) -> Literal["agency", "console"]:
        """The message variant this audience receives."""
        return "console" if self.agency is None else "agency"

    def wants(self, change: Change) -> bool:
        """True when this audience must be sent the change.

        A closed incident is sent once (its Closed event) so clients drop it; later events on
        it (a late note) are not sent until it is reopened.
        """
        if change.kind == "incident" and change.closed and change.event != "Closed":
            return False
        return self.agency is None or self.agency.value in change.agencies


class FeedState:
    """Incidents and units as of ``position``, with their public JSON."""

    def __init__(self, loader: Loader | None = None) -> None:
        self.position = 0
        self.incidents: dict[UUID, Incident] = {}
        self.units: dict[UUID, Unit] = {}
        self.incident_docs: dict[UUID, Doc] = {}
        self.unit_docs: dict[UUID, Doc] = {}
        self.open_incidents: set[UUID] = set()
        self._loader = loader

    def apply(self, event: Any, position: int) -> Change | None:
        """Apply one event (in log order); the change it made, or None if not for feeds."""
        self.position = position
        if isinstance(event, Incident.Event):
            return self._apply_incident(event, position)
        if isinstance(event, Unit.Event):
            return self._apply_unit(event, position)
        return None

    def _apply_incident(self, event: Any, position: int) -> Change | None:
        found = self.incidents.get(event.originator_id)
        if found is None and not isinstance(event, Incident.Reported):
            found = self._load(event.originator_id, Incident)
            if found is None:
                return None
        incident = event.mutate(found)
        assert isinstance(incident, Incident)
        self.incidents[incident.id] = incident
        doc = incident_out(incident)
        self.incident_docs[incident.id] = doc
        if incident.is_closed:
            self.open_incidents.discard(incident.id)
        else:
            self.open_incidents.add(incident.id)
        agencies = frozenset(a.value for a in incident.agencies)
        name, summary = type(event).__name__, eido(incident, _at(event))
        update = stacked_call_update(incident.stacked_calls[-1]) if _stacked(event) else None
        return Change(
            position, name, "incident", doc, agencies, incident.is_closed, summary, update
        )

    def _apply_unit(self, event: Any, position: int) -> Change | None:
        found = self.units.get(event.originator_id)
        if found is None and not isinstance(event, Unit.Registered):
            found = self._load(event.originator_id, Unit)
            if found is None:
                return None
        before = found.incident_id if found is not None else None
        unit = event.mutate(found)
        assert isinstance(unit, Unit)
        self.units[unit.id] = unit
        doc = unit_out(unit)
        self.unit_docs[unit.id] = doc
        agencies = {unit.agency.value} | self._routed(before) | self._routed(unit.incident_id)
        return Change(position, type(event).__name__, "unit", doc, frozenset(agencies), False)

    def _routed(self, incident_id: UUID | None) -> set[str]:
        if incident_id is None:
            return set()
        incident = self.incidents.get(incident_id) or self._load(incident_id, Incident)
        return {a.value for a in incident.agencies} if isinstance(incident, Incident) else set()

    def _load(self, aggregate_id: UUID, kind: type[Aggregate]) -> Any:
        found = self._loader(aggregate_id) if self._loader else None
        if not isinstance(found, kind):
            return None
        if isinstance(found, Incident):
            self.incidents[found.id] = found
        elif isinstance(found, Unit):
            self.units[found.id] = found
        return found

    def snapshot(self, audience: Audience) -> tuple[list[Doc], list[Doc]]:
        """The audience's open incidents (newest first) and units."""
        wanted = audience.agency
        incidents = [
            self.incident_docs[i]
            for i in self.open_incidents
            if wanted is None or wanted in self.incidents[i].agencies
        ]
        incidents.sort(key=lambda d: d["received_at"], reverse=True)
        units = [
            self.unit_docs[u.id]
            for u in self.units.values()
            if wanted is None or u.agency is wanted
        ]
        units.sort(key=lambda d: (d["agency"], d["callsign"]))
        return incidents, units


def render(change: Change) -> dict[str, str]:
    """The delta message of a change as JSON text, per audience kind (agencies get EIDO)."""
    if change.kind == "unit":
        text = dumps(
            {"type": "unit", "position": change.position, "event": change.event, "unit": change.doc}
        )
        return {"console": text, "agency": text}
    message = {
        "type": "incident",
        "position": change.position,
        "event": change.event,
        "incident": change.doc,
    }
    if change.update is not None:
        message["update"] = change.update
    return {
        "console": dumps(message),
        "agency": dumps({**message, "eido": change.eido}),
    }


def stacked_call_update(call: StackedCall) -> Doc:
    """The "update from a second caller" of a feed delta: the further caller's information.

    The caller number is sent as the incident's own is (``incident_out``: to the agencies
    the incident is routed to, and the console).
    """
    return {
        "kind": "stacked_call",
        "title_id": "Kabar dari penelepon lain",
        "title_en": "Update from a second caller",
        "duplicate_id": str(call.duplicate_id),
        "duplicate_number": call.duplicate_number,
        "received_at": call.received_at.isoformat(),
        "caller_number": call.caller_number,
        "category": call.category.value,
        "description": call.description,
        "injuries": call.injuries,
        "persons_involved": call.persons_involved,
        "hazards": list(call.hazards),
        "location": location_out(call.location),
        "place": place_to_dict(call.place) if call.place else None,
        "address_text": call.address_text,
        "at": call.at.isoformat(),
    }


def _stacked(event: Any) -> bool:
    return isinstance(event, Incident.StackedCallAdded)


def snapshot_message(position: int, incidents: list[Doc], units: list[Doc]) -> str:
    """The first message of a feed opened without ``after``."""
    return dumps({"type": "snapshot", "position": position, "incidents": incidents, "units": units})


def heartbeat_message(position: int, at: datetime) -> str:
    """A heartbeat: the connection is alive and everything up to ``position`` was sent."""
    return dumps({"type": "heartbeat", "position": position, "at": at.isoformat()})


def dumps(message: dict[str, Any]) -> str:
    """Compact JSON."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def _at(event: Any) -> str:
    moment = getattr(event, "at", None) or event.timestamp
    return str(moment.isoformat())
