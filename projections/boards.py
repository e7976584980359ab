"""Agency boards: the projection that keeps each agency's active incidents and its units as
rows (``projections.board_view``: the tables and the board of one agency).

The live boards API reads the process's present; these rows are the persisted board: what
``GET /api/boards/{agency}?source=projection`` answers, and what ``project rebuild`` checks
against the log.

The projection builds its list columns as tuples (JSON arrays in the tables): a row is never
changed in place, and the garbage collector stops tracking tuples of plain values, so the
rows a catching-up view keeps in memory do not set off full collections.
"""

from __future__ import annotations

from typing import Any

from domain.incident import Incident
from domain.unit import Unit
from projections.base import RowProjection, handles
from projections.board_view import (
    INCIDENTS,
    ROUTES,
    STACKED_CALLS,
    UNITS,
    BoardsView,
    PostgresBoardsView,
    SQLiteBoardsView,
    board_status,
)
from projections.events import EventData
from projections.schema import Row

__all__ = [
    "INCIDENTS",
    "ROUTES",
    "STACKED_CALLS",
    "UNITS",
    "BoardsProjection",
    "BoardsView",
    "PostgresBoardsView",
    "SQLiteBoardsView",
]


class BoardsProjection(RowProjection[BoardsView]):
    """Keeps the agency boards and unit boards from incident and unit events."""

    name = "boards"

    # ---- incidents -------------------------------------------------------------------------------

    @handles(Incident.Reported)
    def _reported(self, e: EventData) -> None:
        location, place = e["location"], e["place"]
        row: Row = {
            "incident_id": e.aggregate_id,
            "number": e["number"],
            "received_at": e["received_at"],
            "category": e["category"],
            "priority": e["priority"],
            "lat": location["lat"] if location else None,
            "lon": location["lon"] if location else None,
            "accuracy_m": location["accuracy_m"] if location else None,
            "location_source": location["source"] if location else None,
            "kelurahan": place["kelurahan"] if place else None,
            "kecamatan": place["kecamatan"] if place else None,
            "address_text": e["address_text"],
            "model_band": None,
            "band_override": None,
            "verification_pending": 0,
            "callback_first": 0,
            "agencies": (),
            "acknowledged_by": (),
            "units": (),
            "first_unit_at": None,
            "escalations": (),
            "disposition": None,
            "closed_at": None,
        }
        self._save(row, e)

    @handles(Incident.Scored)
    def _scored(self, e: EventData) -> None:
        row = self._incident(e)
        callback = int(bool(row["callback_first"]) or e["callback_first"])
        self._save({**row, "model_band": e["band"], "callback_first": callback}, e)

    @handles(Incident.ScoreOverridden)
    def _overridden(self, e: EventData) -> None:
        self._save({**self._incident(e), "band_override": e["band"]}, e)

    @handles(Incident.FlaggedForVerification)
    def _flagged(self, e: EventData) -> None:
        row = self._incident(e)
        callback = int(bool(row["callback_first"]) or e["callback_first"])
        self._save({**row, "verification_pending": 1, "callback_first": callback}, e)

    @handles(Incident.Verified)
    def _verified(self, e: EventData) -> None:
        self._save({**self._incident(e), "verification_pending": 0}, e)

    @handles(Incident.Triaged)
    def _triaged(self, e: EventData) -> None:
        self._save({**self._incident(e), "priority": e["priority"], "category": e["category"]}, e)

    @handles(Incident.Routed)
    def _routed(self, e: EventData) -> None:
        row = self._incident(e)
        new = e["agencies"]
        for agency in new:
            route = {
                "agency": agency,
                "incident_id": row["incident_id"],
                "routed_at": e["at"],
                "acknowledged_at": None,
                "active": int(row["closed_at"] is None),
                "position": e.position,
            }
            self.view.put(ROUTES, route)
        self._save({**row, "agencies": (*row["agencies"], *new)}, e)

    @handles(Incident.Acknowledged)
    def _acknowledged(self, e: EventData) -> None:
        row = self._incident(e)
        agency = e["agency"]
        route = self._route(agency, row["incident_id"])
        self.view.put(ROUTES, {**route, "acknowledged_at": e["at"], "position": e.position})
        self._save({**row, "acknowledged_by": (*row["acknowledged_by"], agency)}, e)

    @handles(Incident.UnitAssigned)
    def _unit_assigned(self, e: EventData) -> None:
        row = self._incident(e)
        unit = {"unit_id": e["unit_id"], "callsign": e["callsign"], "agency": e["agency"]}
        first = row["first_unit_at"] or e["at"]
        self._save({**row, "units": (*row["units"], unit), "first_unit_at": first}, e)

    @handles(Incident.UnitReleased)
    def _unit_released(self, e: EventData) -> None:
        row, unit_id = self._incident(e), e["unit_id"]
        units = tuple(u for u in row["units"] if u["unit_id"] != unit_id)
        self._save({**row, "units": units}, e)

    @handles(Incident.Escalated)
    def _escalated(self, e: EventData) -> None:
        row = self._incident(e)
        self._save({**row, "escalations": (*row["escalations"], e["reason"])}, e)

    @handles(Incident.StackedCallAdded)
    def _stacked_call_added(self, e: EventData) -> None:
        row = self._incident(e)
        place, location = e["place"], e["location"]
        call = {
            "duplicate_id": e["duplicate_id"],
            "duplicate_number": e["duplicate_number"],
            "received_at": e["received_at"],
            "category": e["category"],
            "description": e["description"],
            "injuries": e["injuries"],
            "persons_involved": e["persons_involved"],
            "hazards": tuple(e["hazards"]),
            "address_text": e["address_text"],
            "kelurahan": place["kelurahan"] if place else None,
            "lat": location["lat"] if location else None,
            "lon": location["lon"] if location else None,
            "accuracy_m": location["accuracy_m"] if location else None,
            "at": e["at"],
        }
        before = self.view.get(STACKED_CALLS, (row["incident_id"],))
        calls = (*before["calls"], call) if before else (call,)
        self._put_stacked(row["incident_id"], calls, row["closed_at"] is None, e.position)
        self._save(row, e)

    @handles(Incident.Closed)
    def _closed(self, e: EventData) -> None:
        row = self._incident(e)
        closed = {"closed_at": e["at"], "disposition": e["disposition"]}
        self._set_routes_active(row, active=False, position=e.position)
        self._set_stacked_active(row, active=False, position=e.position)
        self._save({**row, **closed, "verification_pending": 0}, e)

    @handles(Incident.Reopened)
    def _reopened(self, e: EventData) -> None:
        row = self._incident(e)
        self._set_routes_active(row, active=True, position=e.position)
        self._set_stacked_active(row, active=True, position=e.position)
        self._save({**row, "closed_at": None, "disposition": None}, e)

    # ---- units -----------------------------------------------------------------------------------

    @handles(Unit.Registered)
    def _registered(self, e: EventData) -> None:
        row: Row = {
            "unit_id": e.aggregate_id,
            "agency": e["agency"],
            "code": e["code"],
            "callsign": e["callsign"],
            "unit_type": e["unit_type"],
            "station_id": e["station_id"],
            "status": "available",
            "status_at": e["at"],
            "incident_id": None,
        }
        location = e["location"]
        row.update(_location(location, e["at"] if location else None))
        self._save_unit(row, e)

    @handles(Unit.StatusChanged)
    def _status_changed(self, e: EventData) -> None:
        row, at, location = self._unit(e), e["at"], e["location"]
        changes = {"status": e["status"], "status_at": at, "incident_id": e["incident_id"]}
        moved = _location(location, at) if location else {}
        self._save_unit({**row, **changes, **moved}, e)

    @handles(Unit.PositionReported)
    def _position_reported(self, e: EventData) -> None:
        self._save_unit({**self._unit(e), **_location(e["location"], e["at"])}, e)

    # ---- helpers ---------------------------------------------------------------------------------

    def _incident(self, e: EventData) -> Row:
        row = self.view.get(INCIDENTS, (e.aggregate_id,))
        if row is None:
            raise LookupError(f"incident {e.aggregate_id} is not on the boards")
        return row

    def _route(self, agency: str, incident_id: str) -> Row:
        route = self.view.get(ROUTES, (agency, incident_id))
        if route is None:
            raise LookupError(f"incident {incident_id} was never routed to {agency}")
        return route

    def _set_routes_active(self, row: Row, *, active: bool, position: int) -> None:
        for agency in row["agencies"]:
            route = self._route(agency, row["incident_id"])
            self.view.put(ROUTES, {**route, "active": int(active), "position": position})

    def _set_stacked_active(self, row: Row, *, active: bool, position: int) -> None:
        stacked = self.view.get(STACKED_CALLS, (row["incident_id"],))
        if stacked is not None:
            self._put_stacked(row["incident_id"], stacked["calls"], active, position)

    def _put_stacked(
        self, incident_id: str, calls: tuple[Row, ...], active: bool, position: int
    ) -> None:
        row = {"incident_id": incident_id, "calls": calls, "active": int(active)}
        self.view.put(STACKED_CALLS, {**row, "position": position})

    def _save(self, row: Row, e: EventData) -> None:
        row["status"] = board_status(row)
        row.update(version=e.originator_version, position=e.position, updated_at=e["at"])
        self.view.put(INCIDENTS, row)

    def _unit(self, e: EventData) -> Row:
        row = self.view.get(UNITS, (e.aggregate_id,))
        if row is None:
            raise LookupError(f"unit {e.aggregate_id} is not on the boards")
        return row

    def _save_unit(self, row: Row, e: EventData) -> None:
        row.update(version=e.originator_version, position=e.position)
        self.view.put(UNITS, row)


def _location(location: dict[str, Any] | None, at: str | None) -> Row:
    return {
        "lat": location["lat"] if location else None,
        "lon": location["lon"] if location else None,
        "accuracy_m": location["accuracy_m"] if location else None,
        "location_source": location["source"] if location else None,
        "location_at": at,
    }
