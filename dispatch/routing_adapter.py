"""Adapts the shapely Router to what DispatchCenter asks of geography and advice."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from dispatch.errors import InvalidReport
from dispatch.ports import Fleet
from dispatch.routing import (
    IncidentIndex,
    InvalidAML,
    OpenIncidentSnapshot,
    Recommendation,
    Router,
    UnitIndex,
    UnknownPlace,
)
from dispatch.routing.duplicates import rank as rank_duplicates
from domain.incident import Incident
from domain.taxonomy import Category, Priority
from domain.values import Location, Place

PENDING_MAX = 64


class RoutingAdvisor:
    """Geography and advice from the Router, over the present's snapshots of the fleet (array
    indexes rebuilt only when what the router reads changes)."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._lock = threading.Lock()
        self._position = -1
        self._fleet: Fleet | None = None
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

    def advise(self, incident: Incident, *, fleet: Fleet, at: datetime) -> Recommendation:
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
        return replace(recommendation, duplicates=tuple(rank_duplicates(found)))

    def _indexes(
        self, fleet: Fleet
    ) -> tuple[UnitIndex, IncidentIndex, list[OpenIncidentSnapshot], set[UUID]]:
        """Array indexes of the fleet's snapshots (kept by the present), updated from what
        changed since the last call.

        New or changed incidents wait in a short pending list (checked directly) and their
        indexed copies are hidden, so the array index is rebuilt once per PENDING_MAX
        changes instead of once per report. Only a change of what the router reads counts
        (a note does not move an incident out of the index).
        """
        with self._lock:
            changed = fleet.routing_changes(self._position) if fleet is self._fleet else None
            if changed is None or self._units is None or self._incident_index is None:
                position, units, incidents = fleet.routing_snapshots()
                self._fleet = fleet
                self._units = self.router.index_units(units)
                self._index_incidents(incidents)
            else:
                position, ids = changed
                if self._apply_changes(fleet, ids):
                    self._units = self.router.index_units(fleet.routing_snapshots()[1])
                if len(self._pending) + len(self._stale) > PENDING_MAX:
                    self._index_incidents(fleet.routing_snapshots()[2])
            self._position = position
            assert self._units is not None and self._incident_index is not None
            return self._units, self._incident_index, list(self._pending.values()), set(self._stale)

    def _index_incidents(self, incidents: list[OpenIncidentSnapshot]) -> None:
        self._incident_index = self.router.index_incidents(incidents)
        self._indexed = {i.incident_id for i in incidents}
        self._pending, self._stale = {}, set()

    def _apply_changes(self, fleet: Fleet, changed: set[UUID]) -> bool:
        units_dirty = False
        for aggregate_id in changed:
            if fleet.unit_snapshot(aggregate_id) is not None:
                units_dirty = True
                continue
            if aggregate_id in self._indexed:
                self._stale.add(aggregate_id)
            snapshot = fleet.incident_snapshot(aggregate_id)
            if snapshot is not None:
                self._pending[aggregate_id] = snapshot
            else:  # closed or linked
                self._pending.pop(aggregate_id, None)
        return units_dirty
