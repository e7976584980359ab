"""Stations and their capacity: a hospital marked full is skipped by the advice."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from dispatch.errors import DispatchError
from dispatch.permissions import Action
from entrypoints.http.deps import CenterDep, CurrentPrincipal, RouterDep
from entrypoints.http.responses import CapacityJSON, StationListJSON
from entrypoints.http.schemas import Strict

router = APIRouter(prefix="/api/stations", tags=["stations"])


class UnknownStation(DispatchError):
    """Raised when a station id is not in the stations data."""

    code = "unknown_station"


class CapacityIn(Strict):
    full: bool
    reason: str = Field(..., min_length=1, max_length=500)


@router.get("", response_model=StationListJSON)
def list_stations(
    center: CenterDep, routing: RouterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Every police, fire and hospital location, with whether it is marked full."""
    full = center.present.full_facilities()
    return {
        "stations": [
            {**station.to_dict(), "full": station.id in full} for station in routing.stations()
        ]
    }


@router.post("/{station_id}/capacity", response_model=CapacityJSON)
def set_capacity(
    station_id: str,
    body: CapacityIn,
    center: CenterDep,
    routing: RouterDep,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    """Mark a station full or available again (supervisors, operators, its own agency)."""
    principal.allow(Action.SET_CAPACITY)
    station = next((s for s in routing.stations() if s.id == station_id), None)
    if station is None:
        raise UnknownStation(f"no station {station_id}")
    principal.require_agency(station.agency)
    facility = center.set_facility_capacity(station_id, body.full, body.reason)
    return {"station_id": station_id, "full": facility.full, "reason": facility.reason}
