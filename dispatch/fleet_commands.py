"""The fleet's commands: units registered, their status and position, facilities' capacity."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from dispatch.center_core import CenterCore, storage_errors
from dispatch.context import current_actor
from dispatch.errors import UnitNotFound, VersionConflict
from domain.facility import Facility, facility_id_for
from domain.incident import Incident
from domain.taxonomy import Agency, UnitStatus, UnitType
from domain.unit import Unit, unit_id_for
from domain.values import Location


class FleetCommands(CenterCore):
    """Units and facilities as their crews and the hospitals report them."""

    def register_unit(
        self,
        code: str,
        callsign: str,
        agency: Agency,
        unit_type: UnitType,
        station_id: str,
        location: Location | None = None,
    ) -> tuple[Unit, bool]:
        """Register a unit; registering the same code again returns the existing unit."""
        try:
            return self.get_unit(unit_id_for(code)), False
        except UnitNotFound:
            pass
        unit = Unit(
            code=code.strip().upper(),
            callsign=callsign,
            agency=agency,
            unit_type=unit_type,
            station_id=station_id,
            location=location,
            actor=current_actor(),
            at=self.clock(),
        )
        try:
            self._save(unit)
        except IntegrityError:
            return self.get_unit(unit.id), False
        return unit, True

    def update_unit_status(
        self,
        unit_id: UUID,
        status: UnitStatus,
        *,
        location: Location | None = None,
        expected_version: int | None = None,
    ) -> Unit:
        """Move a unit along its status machine; leaving an incident releases it there too."""

        def attempt() -> Unit:
            unit = self.get_unit(unit_id)
            if expected_version is not None and unit.version != expected_version:
                raise VersionConflict(unit_id, expected_version, unit.version)
            at = self.clock()
            incident_id = unit.incident_id
            unit.change_status(status, location=location, actor=current_actor(), at=at)
            others: list[Incident] = []
            if incident_id is not None and unit.incident_id is None:
                incident = self.get_incident(incident_id)
                if unit.id in incident.unit_ids:
                    incident.release_unit(unit.id, status.value, actor=current_actor(), at=at)
                    others.append(incident)
            self._save_seen(expected_version, unit, *others)
            return unit

        return self._retrying(attempt, unit_id, lambda: self.get_unit(unit_id).version)

    def set_facility_capacity(self, station_id: str, full: bool, reason: str) -> Facility:
        """Mark a hospital (or other station) full or available; advice skips full hospitals."""

        def attempt() -> Facility:
            facility: object
            try:
                with storage_errors():
                    facility = self.repository.get(facility_id_for(station_id))
            except AggregateNotFoundError:
                facility = Facility(station_id=station_id)
            assert isinstance(facility, Facility)
            facility.set_capacity(full, reason, actor=current_actor(), at=self.clock())
            self._save(facility)
            return facility

        return self._retrying(attempt, facility_id_for(station_id), lambda: 0)

    def report_unit_position(self, unit_id: UUID, location: Location) -> Unit:
        """Record a unit's position."""

        def attempt() -> Unit:
            unit = self.get_unit(unit_id)
            unit.report_position(location, actor=current_actor(), at=self.clock())
            self._save(unit)
            return unit

        return self._retrying(attempt, unit_id, lambda: self.get_unit(unit_id).version)
