"""Adapts the shapely Router to what DispatchCenter asks of geography and advice."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from uuid import UUID

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
from dispatch.routing.duplicates import rank as rank_duplicates
from domain.incident import Incident
from domain.taxonomy import Category, Priority
from domain.unit import Unit
from domain.values import Location, Place

PENDING_MAX = 64


class RoutingAdvisor:
    """Geography and advice from the Router, with fleet indexes rebuilt only when the log moves."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._lock = threading.Lock()
        self._position = -1
        self._fleet: Fleet | None = None
        self._unit_snaps: dict[UUID, UnitSnapshot] = {}
        self._incident_snaps: dict[UUID, OpenIncidentSnapshot] = {}
        self._units: UnitIndex | None = None
        self._incident_index: IncidentIndex | None = None
        self._indexed: set[UUID] = set()
        self._pending: dict[UUID, OpenIncidentSnapshot] = {}
        self._stale: set[UUID] = set()

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
        units, incidents, pending, stale = self._indexes(fleet)
        # Stale copies in the array index are left out; their current state is in `pending`.
        recommendation = self.router.recommend(
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
            exclude=stale | {incident.id},
        )
        found = list(recommendation.duplicates)
        if pending:
            found += self.router.duplicates(
                incident.location,
                incident.category,
                at,
                pending,
                caller_number=incident.caller_number,
                exclude={incident.id},
            )
        advice = recommendation.to_dict()
        advice["duplicates"] = [d.to_dict() for d in rank_duplicates(found)]
        return advice

    def _indexes(
        self, fleet: Fleet
    ) -> tuple[UnitIndex, IncidentIndex, list[OpenIncidentSnapshot], set[UUID]]:
        """Array indexes of the fleet, updated from what changed since the last call.

        New or changed incidents wait in a short pending list (checked directly) and their
        indexed copies are hidden, so the array index is rebuilt once per PENDING_MAX
        changes instead of once per report.
        """
        with self._lock:
            changed = fleet.changes_since(self._position) if fleet is self._fleet else None
            position = fleet.position
            units_dirty = changed is None
            if changed is None:
                self._fleet = fleet
                self._unit_snaps = {u.id: _unit(u) for u in fleet.units()}
                self._incident_snaps = {i.id: _incident(i) for i in fleet.incidents() if _open(i)}
                self._incident_index = None
            else:
                units_dirty = self._apply_changes(fleet, changed)
            if units_dirty or self._units is None:
                self._units = self.router.index_units(list(self._unit_snaps.values()))
            if self._incident_index is None or len(self._pending) + len(self._stale) > PENDING_MAX:
                self._incident_index = self.router.index_incidents(
                    list(self._incident_snaps.values())
                )
                self._indexed = set(self._incident_snaps)
                self._pending, self._stale = {}, set()
            self._position = position
            return self._units, self._incident_index, list(self._pending.values()), set(self._stale)

    def _apply_changes(self, fleet: Fleet, changed: set[UUID]) -> bool:
        units_dirty = False
        for aggregate_id in changed:
            unit = fleet.unit(aggregate_id)
            if unit is not None:
                self._unit_snaps[aggregate_id] = _unit(unit)
                units_dirty = True
                continue
            incident = fleet.incident(aggregate_id)
            if incident is None:
                continue  # a ledger or other aggregate
            if aggregate_id in self._indexed:
                self._stale.add(aggregate_id)
            if _open(incident):
                self._incident_snaps[aggregate_id] = self._pending[aggregate_id] = _incident(
                    incident
                )
            else:
                self._incident_snaps.pop(aggregate_id, None)
                self._pending.pop(aggregate_id, None)
        return units_dirty


def _open(incident: Incident) -> bool:
    """Open and not itself a linked duplicate (those point to their primary)."""
    return not incident.is_closed and incident.primary_id is None


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
        caller_number=incident.caller_number,
        agencies=tuple(incident.agencies),
    )
