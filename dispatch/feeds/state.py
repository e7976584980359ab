"""What the feeds send: each applied event as a ``Change`` (the public JSON of the incident or
unit after it, and which agencies may see it), and an audience's snapshot of the present.

The live hub (events the process's ``Present`` applies) and the catch-up after a reconnect (a
``PresentState`` over the log's window) make changes with the same ``change_of``, so a
client gets the same deltas whether it was connected or comes back later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson

from dispatch.permissions import visible_to
from dispatch.present import Applied, PresentState
from dispatch.present.topics import FEED_TOPICS
from domain.incident import Incident
from domain.taxonomy import Agency
from domain.unit import Unit
from domain.values import StackedCall
from formats.eido_delta import eido
from formats.incident_json import incident_out, location_out, place_to_dict, unit_out

Doc = dict[str, Any]
__all__ = ["FEED_TOPICS", "Audience", "Change", "change_of", "render", "snapshot"]


@dataclass(frozen=True)
class Change:
    """What one event changed, and who may see it."""

    position: int
    event: str
    kind: Literal["incident", "unit"]
    doc: Doc
    agencies: frozenset[Agency]
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
        return visible_to(self, change)


def change_of(applied: Applied, *, with_eido: bool = True) -> Change | None:
    """What an applied event changed, for the feeds (None: nothing they send).

    ``with_eido=False`` leaves an incident's EIDO out (``Change.eido`` None): only agency
    feeds carry it, so the hub skips it while no agency feed is connected.
    """
    event, position, aggregate = applied.event, applied.position, applied.aggregate
    agencies = applied.agencies
    name = type(event).__name__
    if isinstance(aggregate, Incident):
        update = stacked_call_update(aggregate.stacked_calls[-1]) if _stacked(event) else None
        doc = incident_out(aggregate)
        summary = eido(aggregate, _at(event)) if with_eido else None
        return Change(
            position, name, "incident", doc, agencies, aggregate.is_closed, summary, update
        )
    if isinstance(aggregate, Unit):
        return Change(position, name, "unit", unit_out(aggregate), agencies, False)
    return None


def snapshot(state: PresentState, audience: Audience) -> tuple[list[Doc], list[Doc]]:
    """The audience's open incidents (newest first) and units, from the present."""
    wanted = audience.agency
    open_ = [i for i in state.incidents.values() if not i.is_closed and visible_to(audience, i)]
    open_.sort(key=lambda i: i.received_at, reverse=True)
    units = [unit_out(u) for u in state.units.values() if wanted is None or u.agency is wanted]
    units.sort(key=lambda d: (d["agency"], d["callsign"]))
    return [incident_out(i) for i in open_], units


def render(change: Change) -> dict[str, str]:
    """The delta message of a change as JSON text, per audience kind, each encoded once for
    every client of that kind. Agencies get the console's message plus its ``eido`` member
    (an incident change made without EIDO has no agency text)."""
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
    console = dumps(message)
    if change.eido is None:
        return {"console": console}
    # {**message, "eido": ...} without encoding the incident a second time
    return {"console": console, "agency": f'{console[:-1]},"eido":{dumps(change.eido)}}}'}


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
    """Compact JSON (what ``json.dumps`` writes with these separators, several times faster)."""
    try:
        return orjson.dumps(message, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:  # what orjson refuses (a lone surrogate): as json writes it
        return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def _at(event: Any) -> str:
    moment = getattr(event, "at", None) or event.timestamp
    return str(moment.isoformat())
