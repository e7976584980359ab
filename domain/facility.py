"""The Facility aggregate: a hospital (or other station) whose capacity changes over time."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ReasonRequired

FACILITY_NAMESPACE = uuid5(NAMESPACE_URL, "https://siaga112.samarindakota.go.id/facility")


def facility_id_for(station_id: str) -> UUID:
    """The facility id of a station id from the stations data."""
    return uuid5(FACILITY_NAMESPACE, station_id)


class Facility(Aggregate):
    """A station's operational state, e.g. a hospital emergency department that is full."""

    class Listed(Aggregate.Created):
        station_id: str

    class CapacityChanged(Aggregate.Event):
        full: bool
        reason: str
        actor: str
        at: datetime

    @staticmethod
    def create_id(station_id: str) -> UUID:
        """Derive the id from the station id."""
        return facility_id_for(station_id)

    @event(Listed)
    def __init__(self, station_id: str) -> None:
        self.station_id = station_id
        self.full = False
        self.reason = ""
        self.changed_at: datetime | None = None

    def set_capacity(self, full: bool, reason: str, *, actor: str, at: datetime) -> bool:
        """Mark full or available again, with a reason; returns False when nothing changed."""
        if not reason.strip():
            raise ReasonRequired("changing a facility's capacity needs a reason")
        if full == self.full:
            return False
        self._capacity_changed(full=full, reason=reason.strip(), actor=actor, at=at)
        return True

    @event(CapacityChanged)
    def _capacity_changed(self, full: bool, reason: str, actor: str, at: datetime) -> None:
        self.full = full
        self.reason = reason
        self.changed_at = at
