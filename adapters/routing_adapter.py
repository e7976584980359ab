"""Adapts the shapely Router to what DispatchCenter asks of geography and advice."""

from __future__ import annotations

import threading
from datetime import datetime
from uuid import UUID

from adapters.routing import (
    IncidentIndex,
    InvalidAML,
    Recommendation,
    Router,
    UnitIndex,
    UnitSnapshot,
    UnknownPlace,
)
from dispatch.errors import InvalidReport
from dispatch.ports import Fleet
from dispatch.status_links import EtaEstimator
from domain.incident import Incident
from domain.taxonomy import Category, Priority, UnitStatus
from domain.unit import Unit
from domain.values import Location, Place


class RoutingAdvisor:
    """Geography and advice from the Router, over the present's snapshots of the fleet (the
    incident index updated in place per change, the unit index rebuilt when a unit changes)."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._lock = threading.Lock()
        self._position = -1
        self._fleet: Fleet | None = None
        self._units: UnitIndex | None = None
        self._incidents: IncidentIndex | None = None

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

    def advise(self, incident: Incident, *, fleet: Fleet, at: datetime) -> Recommendation:
        """Agencies, stations, units with ETA and duplicate suggestions for an incident."""
        units, incidents = self._indexes(fleet)
        return self.router.recommend(
            incident.location,
            incident.place,
            incident.category,
            injuries=incident.injuries,
            hazards=incident.hazards,
            at=at,
            units=units,
            open_incidents=incidents,
            full_hospitals=fleet.full_facilities(),
            caller_number=incident.caller_number,
            exclude={incident.id},
        )

    def _indexes(self, fleet: Fleet) -> tuple[UnitIndex, IncidentIndex]:
        """Array indexes of the fleet's snapshots (kept by the present), updated from what
        changed since the last call: each changed incident is written into its slot or
        dropped, so the cost follows the changes, not the number of open incidents. Only a
        change of what the router reads counts (a note does not touch the index)."""
        with self._lock:
            changed = fleet.routing_changes(self._position) if fleet is self._fleet else None
            if changed is None or self._units is None or self._incidents is None:
                position, units, incidents = fleet.routing_snapshots()
                self._fleet = fleet
                self._units = self.router.index_units(units)
                self._incidents = self.router.index_incidents(incidents)
            else:
                position, ids = changed
                if self._apply_changes(fleet, self._incidents, ids):
                    self._units = self.router.index_units(fleet.routing_snapshots()[1])
            self._position = position
            return self._units, self._incidents

    @staticmethod
    def _apply_changes(fleet: Fleet, index: IncidentIndex, changed: set[UUID]) -> bool:
        units_dirty = False
        for aggregate_id in changed:
            if fleet.unit_snapshot(aggregate_id) is not None:
                units_dirty = True
                continue
            snapshot = fleet.incident_snapshot(aggregate_id)
            if snapshot is not None:
                index.put(snapshot)
            else:  # closed or linked
                index.drop(aggregate_id)
        return units_dirty


def router_eta(router: Router) -> EtaEstimator:
    """ETAs from the router's own ranking (road factor, speed per unit type, the bridges)."""

    def estimate(incident: Incident, unit: Unit, now: datetime) -> float | None:
        if incident.location is None:
            return None
        here = UnitSnapshot(
            unit_id=unit.id,
            callsign=unit.callsign,
            agency=unit.agency,
            unit_type=unit.unit_type,
            status=UnitStatus.AVAILABLE,  # ranked as if free: where it is now, how far to go
            station_id=unit.station_id,
            location=unit.location,
            location_at=unit.location_at,
        )
        found = router.recommend_units(incident.location, [unit.agency], [here], now, per_agency=1)
        return found[0].eta_s if found else None

    return estimate
