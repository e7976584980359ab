"""Adapts the shapely Router to what DispatchCenter asks of geography and advice."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from dispatch.errors import InvalidReport
from dispatch.ports import Fleet
from dispatch.routing import (
    IncidentIndex,
    InvalidAML,
    OpenIncidentSnapshot,
    Router,
    UnitIndex,
    UnitSnapshot,
    UnknownPlace,
)
from domain.incident import Incident
from domain.taxonomy import Category, Priority
from domain.unit import Unit
from domain.values import Location, Place


class RoutingAdvisor:
    """Geography and advice from the Router, with fleet indexes rebuilt only when the log moves."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._lock = threading.Lock()
        self._position = -1
        self._units: UnitIndex | None = None
        self._incident_index: IncidentIndex | None = None

    def locate(self, location: Location) -> Place:
        """The kelurahan/kecamatan of a point (outside Samarinda: nearest, with distance)."""
        checked = self.router.check_coordinates(
            location.lat, location.lon, accuracy_m=location.accuracy_m, source=location.source
        )
        return self.router.locate(checked)

    def resolve_kelurahan(self, name: str) -> tuple[Location, Place]:
        """A kelurahan named by the caller, matched tolerantly."""
        try:
            match = self.router.find_kelurahan(name)
        except UnknownPlace as error:
            raise InvalidReport("kelurahan", str(error)) from error
        return match.location, match.place

    def parse_aml(self, sms: str) -> Location:
        """The position in an EENA Advanced Mobile Location SMS."""
        try:
            return self.router.parse_aml(sms)
        except InvalidAML as error:
            raise InvalidReport("aml", str(error)) from error

    def default_priority(self, category: Category, *, injuries: int | None) -> Priority:
        """The intake priority the routing rules give a category."""
        return self.router.default_priority(category, injuries=injuries)

    def advise(self, incident: Incident, *, fleet: Fleet, at: datetime) -> dict[str, Any]:
        """Agencies, stations, units with ETA and duplicate suggestions for an incident."""
        units, incidents = self._indexes(fleet)
        recommendation = self.router.recommend(
            incident.location,
            incident.place,
            incident.category,
            injuries=incident.injuries,
            hazards=incident.hazards,
            at=at,
            units=units,
            open_incidents=incidents,
        )
        advice = recommendation.to_dict()
        own = str(incident.id)  # an incident is not its own duplicate
        advice["duplicates"] = [d for d in advice["duplicates"] if d["incident_id"] != own]
        return advice

    def _indexes(self, fleet: Fleet) -> tuple[UnitIndex, IncidentIndex]:
        with self._lock:
            if fleet.position != self._position or self._units is None:
                self._units = self.router.index_units([_unit(u) for u in fleet.units()])
                self._incident_index = self.router.index_incidents(
                    [_incident(i) for i in fleet.incidents() if i.primary_id is None]
                )
                self._position = fleet.position
            assert self._incident_index is not None
            return self._units, self._incident_index


def _unit(unit: Unit) -> UnitSnapshot:
    return UnitSnapshot(
        unit_id=unit.id,
        callsign=unit.callsign,
        agency=unit.agency,
        unit_type=unit.unit_type,
        status=unit.status,
        station_id=unit.station_id,
        location=unit.location,
        location_at=unit.location_at,
    )


def _incident(incident: Incident) -> OpenIncidentSnapshot:
    return OpenIncidentSnapshot(
        incident_id=incident.id,
        number=incident.number,
        category=incident.category,
        location=incident.location,
        received_at=incident.received_at,
    )
