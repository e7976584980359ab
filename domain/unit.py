"""The Unit aggregate: one responder unit and its status machine."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidStatusChange, UnitNotAvailable
from domain.taxonomy import Agency, UnitStatus, UnitType
from domain.values import Location

UNIT_NAMESPACE = uuid5(NAMESPACE_URL, "https://siaga112.samarindakota.go.id/unit")

S = UnitStatus
# Where each status may go next (out of service is reachable from anywhere, see below).
TRANSITIONS: dict[UnitStatus, frozenset[UnitStatus]] = {
    S.AVAILABLE: frozenset({S.DISPATCHED}),
    S.DISPATCHED: frozenset({S.EN_ROUTE, S.ON_SCENE, S.AVAILABLE}),
    S.EN_ROUTE: frozenset({S.ON_SCENE, S.AVAILABLE}),
    S.ON_SCENE: frozenset({S.TRANSPORTING, S.AVAILABLE}),
    S.TRANSPORTING: frozenset({S.AT_HOSPITAL, S.AVAILABLE}),
    S.AT_HOSPITAL: frozenset({S.AVAILABLE}),
    S.OUT_OF_SERVICE: frozenset({S.AVAILABLE}),
}


def unit_id_for(code: str) -> UUID:
    """The unit id a unit code maps to (registering the same code twice finds one unit)."""
    return uuid5(UNIT_NAMESPACE, code.strip().upper())


class Unit(Aggregate):
    """One responder unit (patrol, fire engine, ambulance, boat) of one agency and station."""

    class Registered(Aggregate.Created):
        code: str
        callsign: str
        agency: Agency
        unit_type: UnitType
        station_id: str
        location: Location | None
        actor: str
        at: datetime

    class StatusChanged(Aggregate.Event):
        status: UnitStatus
        incident_id: UUID | None
        location: Location | None
        actor: str
        at: datetime

    class PositionReported(Aggregate.Event):
        location: Location
        actor: str
        at: datetime

    @staticmethod
    def create_id(code: str) -> UUID:
        """Derive the id from the unit's code."""
        return unit_id_for(code)

    @event(Registered)
    def __init__(
        self,
        code: str,
        callsign: str,
        agency: Agency,
        unit_type: UnitType,
        station_id: str,
        location: Location | None,
        actor: str,
        at: datetime,
    ) -> None:
        self.code = code
        self.callsign = callsign
        self.agency = agency
        self.unit_type = unit_type
        self.station_id = station_id
        self.status = UnitStatus.AVAILABLE
        self.incident_id: UUID | None = None
        self.location = location
        self.location_at: datetime | None = at if location else None
        self.status_at = at

    def dispatch_to(self, incident_id: UUID, *, actor: str, at: datetime) -> None:
        """Send an available unit to an incident (saved together with the incident)."""
        if self.status is not UnitStatus.AVAILABLE:
            raise UnitNotAvailable(f"unit {self.callsign} is {self.status.value}")
        self._status_changed(
            status=UnitStatus.DISPATCHED, incident_id=incident_id, location=None, actor=actor, at=at
        )

    def change_status(
        self, status: UnitStatus, *, location: Location | None, actor: str, at: datetime
    ) -> None:
        """Move along the status machine; out of service is allowed from any state."""
        if status is UnitStatus.DISPATCHED:
            raise InvalidStatusChange("a unit is dispatched by assigning it to an incident")
        allowed = status is UnitStatus.OUT_OF_SERVICE or status in TRANSITIONS[self.status]
        if status is self.status or not allowed:
            raise InvalidStatusChange(
                f"unit {self.callsign} cannot go from {self.status.value} to {status.value}"
            )
        incident_id = None if status in (S.AVAILABLE, S.OUT_OF_SERVICE) else self.incident_id
        self._status_changed(
            status=status, incident_id=incident_id, location=location, actor=actor, at=at
        )

    @event(StatusChanged)
    def _status_changed(
        self,
        status: UnitStatus,
        incident_id: UUID | None,
        location: Location | None,
        actor: str,
        at: datetime,
    ) -> None:
        self.status = status
        self.incident_id = incident_id
        self.status_at = at
        if location is not None:
            self.location = location
            self.location_at = at

    def report_position(self, location: Location, *, actor: str, at: datetime) -> None:
        """Record where the unit is now (feeds ETA and stale-position checks)."""
        self._position_reported(location=location, actor=actor, at=at)

    @event(PositionReported)
    def _position_reported(self, location: Location, actor: str, at: datetime) -> None:
        self.location = location
        self.location_at = at
