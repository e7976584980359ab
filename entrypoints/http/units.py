"""Unit resources: register, list, status and position."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response, status

from dispatch.permissions import Action
from domain.taxonomy import Agency
from entrypoints.http.deps import CenterDep, CurrentPrincipal
from entrypoints.http.links import unit_links
from entrypoints.http.responses import UnitListJSON
from entrypoints.http.schemas import PositionIn, UnitCreate, UnitStatusIn
from formats.incident_json import unit_out
from formats.models import UnitJSON

router = APIRouter(prefix="/api/units", tags=["units"])


@router.get("", response_model=UnitListJSON)
def list_units(
    center: CenterDep, principal: CurrentPrincipal, agency: Agency | None = None
) -> dict[str, Any]:
    """Units, optionally of one agency (every role sees every agency's units)."""
    principal.allow(Action.READ_UNITS)
    units = [u for u in center.present.units() if agency is None or u.agency is agency]
    units.sort(key=lambda u: (u.agency.value, u.callsign))
    return {"position": center.present.position, "units": [unit_out(u) for u in units]}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UnitJSON,
    responses={
        201: {"links": unit_links()},
        200: {"model": UnitJSON, "description": "the same code again: the unit registered before"},
    },
)
def register_unit(
    body: UnitCreate, center: CenterDep, principal: CurrentPrincipal, response: Response
) -> dict[str, Any]:
    """Register a unit (supervisors); the same code again returns the existing unit (200)."""
    principal.allow(Action.REGISTER_UNIT)
    unit, created = center.register_unit(
        body.code,
        body.callsign,
        body.agency,
        body.unit_type,
        body.station_id,
        body.location.to_domain() if body.location else None,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return unit_out(unit)


@router.get("/{unit_id}", response_model=UnitJSON)
def get_unit(unit_id: UUID, center: CenterDep, principal: CurrentPrincipal) -> dict[str, Any]:
    """One unit's current state."""
    principal.allow(Action.READ_UNITS)
    return unit_out(center.get_unit(unit_id))


@router.post("/{unit_id}/status", response_model=UnitJSON)
def change_status(
    unit_id: UUID, body: UnitStatusIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Move a unit along its status machine (its agency or call-takers)."""
    principal.allow(Action.SET_UNIT_STATUS)
    principal.require_agency(center.get_unit(unit_id).agency)
    unit = center.update_unit_status(
        unit_id,
        body.status,
        location=body.location.to_domain() if body.location else None,
        expected_version=body.expected_version,
    )
    return unit_out(unit)


@router.post("/{unit_id}/position", response_model=UnitJSON)
def report_position(
    unit_id: UUID, body: PositionIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Record where a unit is now."""
    principal.allow(Action.SET_UNIT_POSITION)
    principal.require_agency(center.get_unit(unit_id).agency)
    return unit_out(center.report_unit_position(unit_id, body.location.to_domain()))
