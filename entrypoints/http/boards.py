"""Agency boards, read from the process's present (``dispatch.present``), or from the boards
projection's rows on request (``?source=projection``).

A board is what the agency's websocket feed shows, with timers: the open incidents the feed's
audience for that agency sees (``visible_to``, the one rule), most urgent first, and the
agency's units. The boards projection (``projections.boards``) keeps the same board as rows in
the store: the persisted board auditors compare with the live one, and ``project rebuild``
checks against the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query

from dispatch.center import storage_errors
from dispatch.feeds.state import Audience
from dispatch.permissions import Action, Viewer, visible_to
from dispatch.present import PresentState
from domain.incident import Incident
from domain.taxonomy import Agency
from domain.unit import Unit
from domain.values import StackedCall
from entrypoints.http.board_rows import projected_board, urgency
from entrypoints.http.deps import BackgroundDep, CenterDep, CurrentPrincipal
from entrypoints.http.responses import BoardJSON
from formats.incident_json import location_out
from projections.wiring import ProjectionsUnavailable

router = APIRouter(prefix="/api/boards", tags=["boards"])
Doc = dict[str, Any]


@router.get("/{agency}", response_model=BoardJSON)
def get_board(
    agency: Agency,
    center: CenterDep,
    background: BackgroundDep,
    principal: CurrentPrincipal,
    source: Annotated[
        Literal["present", "projection"],
        Query(description="the live present (default), or the boards projection's rows"),
    ] = "present",
) -> Doc:
    """An agency's active incidents (most urgent first) with timers, its units, and the
    log position the board reflects. Agencies read only their own board."""
    principal.allow(Action.READ_BOARD)
    principal.require_agency(agency)
    now = center.clock()  # the center's clock (injected in tests)
    if source == "projection":
        try:
            with storage_errors():
                return projected_board(background.readers, agency, principal, now)
        except ProjectionsUnavailable as error:  # not started yet, or a memory store
            raise HTTPException(503, str(error), headers={"Retry-After": "2"}) from error
    with storage_errors():
        center.present.refresh()
    with center.present.locked() as state:
        return board_of(state, agency, principal, now)


def board_of(state: PresentState, agency: Agency, viewer: Viewer, now: datetime) -> Doc:
    """The agency's board from the present's state (read under its lock)."""
    audience = Audience(agency)
    entries = [
        board_entry(i, agency, state, now)
        for i in state.incidents.values()
        if not i.is_closed and visible_to(audience, i) and visible_to(viewer, i)
    ]
    units = [unit_entry(u, state) for u in state.units.values() if u.agency is agency]
    return {
        "agency": agency.value,
        "position": state.position,
        "incidents": sorted(entries, key=urgency),
        "units": sorted(units, key=lambda u: u["callsign"]),
    }


def board_entry(incident: Incident, agency: Agency, state: PresentState, now: datetime) -> Doc:
    """One incident on an agency's board (read under the present's lock)."""
    category, place = incident.category, incident.place
    routed_at, acknowledged_at = incident.routed_at[agency], incident.acknowledged_at.get(agency)
    return {
        "incident_id": str(incident.id),
        "number": incident.number,
        "status": incident.status.value,
        "priority": incident.priority.value,
        "category": {
            "code": category.value,
            "label_id": category.label_id,
            "label_en": category.label_en,
        },
        "location": location_out(incident.location),
        "place": (
            {"kelurahan": place.kelurahan, "kecamatan": place.kecamatan}
            if place is not None and (place.kelurahan or place.kecamatan)
            else None
        ),
        "address_text": incident.address_text,
        "band": incident.band.value if incident.band else None,
        "verification_pending": incident.verification_pending,
        "callback_first": incident.callback_first,
        "units": [_assigned(unit_id, incident, state) for unit_id in incident.unit_ids],
        "escalations": [reason.value for reason in incident.escalations],
        "stacked_calls": [stacked_call(c) for c in incident.stacked_calls],
        "reported_at": incident.received_at.isoformat(),
        "routed_at": routed_at.isoformat(),
        "acknowledged_at": _iso(acknowledged_at),
        "first_unit_at": _iso(incident.first_unit_at),
        "since_report_s": _since(incident.received_at, now),
        "since_route_s": _since(routed_at, now),
        "since_acknowledged_s": _since(acknowledged_at, now),
        "version": incident.version,
        "position": state.positions.get(incident.id, state.position),
    }


def unit_entry(unit: Unit, state: PresentState) -> Doc:
    """One unit on its agency's board."""
    return {
        "unit_id": str(unit.id),
        "code": unit.code,
        "callsign": unit.callsign,
        "unit_type": unit.unit_type.value,
        "station_id": unit.station_id,
        "status": unit.status.value,
        "status_at": unit.status_at.isoformat(),
        "incident_id": str(unit.incident_id) if unit.incident_id else None,
        "location": location_out(unit.location),
        "location_at": _iso(unit.location_at),
        "version": unit.version,
        "position": state.positions.get(unit.id, state.position),
    }


def stacked_call(call: StackedCall) -> Doc:
    """What a further caller said, as a board shows it (no caller number: boards are read on
    wall screens)."""
    location, place = call.location, call.place
    return {
        "duplicate_id": str(call.duplicate_id),
        "duplicate_number": call.duplicate_number,
        "received_at": call.received_at.isoformat(),
        "category": call.category.value,
        "description": call.description,
        "injuries": call.injuries,
        "persons_involved": call.persons_involved,
        "hazards": list(call.hazards),
        "address_text": call.address_text,
        "kelurahan": place.kelurahan if place else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "accuracy_m": location.accuracy_m if location else None,
        "at": call.at.isoformat(),
    }


def _assigned(unit_id: UUID, incident: Incident, state: PresentState) -> Doc:
    unit = state.units.get(unit_id)
    return {
        "unit_id": str(unit_id),
        "callsign": incident.unit_callsigns[unit_id],
        "agency": unit.agency.value if unit else None,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _since(moment: datetime | None, now: datetime) -> float | None:
    if moment is None:
        return None
    return round((now - moment).total_seconds(), 1)
