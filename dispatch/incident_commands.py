"""The commands on an open incident: triage, verify, route, dispatch, note, link, close.

Each loads the incident, checks the version its user saw (a 409 otherwise), changes it (and
the units or incidents it touches) and saves them in one transaction; a lost race is retried
from a fresh load when no version was named (``dispatch.retry``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from dispatch.center_core import CenterCore
from dispatch.context import current_actor
from dispatch.errors import InvalidReport, VersionConflict
from domain.incident import Incident
from domain.taxonomy import (
    Agency,
    Category,
    Disposition,
    EscalationReason,
    Priority,
    ScoreBand,
    UnitStatus,
)
from domain.unit import Unit

Change = Callable[[Incident, datetime], Sequence[Aggregate] | None]
# A unit released by closing its incident carries this reason (a code clients translate; a
# unit released by a status change carries the status's code).
RELEASED_ON_CLOSE = "incident closed"


class IncidentCommands(CenterCore):
    """What call-takers and dispatchers do to an incident after intake."""

    def _change(
        self,
        incident_id: UUID,
        expected_version: int | None,
        change: Change,
    ) -> Incident:
        """Load, check the version the operator saw, change, save; a lost race is retried."""

        def attempt() -> Incident:
            incident = self.get_incident(incident_id)
            if expected_version is not None and incident.version != expected_version:
                raise VersionConflict(incident_id, expected_version, incident.version)
            others = change(incident, self.clock()) or ()
            if not incident.pending_events and not any(o.pending_events for o in others):
                return incident
            self._save_seen(expected_version, incident, *others)
            return incident

        return self._retrying(attempt, incident_id, lambda: self.get_incident(incident_id).version)

    def override_score(
        self, incident_id: UUID, band: ScoreBand, reason: str, expected_version: int | None = None
    ) -> Incident:
        """An operator overrides the false-call band, with a reason."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.override_score(band, reason, actor=current_actor(), at=at),
        )

    def verify(
        self,
        incident_id: UUID,
        *,
        genuine: bool,
        reason: str,
        disposition: Disposition | None = None,
        expected_version: int | None = None,
    ) -> Incident:
        """Record a call-back outcome; a false call is closed with its disposition."""
        if not genuine and (disposition is None or disposition is Disposition.GENUINE):
            raise InvalidReport("disposition", "a dismissed call needs a non-genuine disposition")

        def change(incident: Incident, at: datetime) -> Sequence[Unit]:
            incident.verify(genuine=genuine, reason=reason, actor=current_actor(), at=at)
            if genuine:
                return ()
            assert disposition is not None
            return self._close(incident, disposition, reason, at)

        return self._change(incident_id, expected_version, change)

    def triage(
        self,
        incident_id: UUID,
        priority: Priority,
        category: Category,
        reason: str,
        expected_version: int | None = None,
    ) -> Incident:
        """Set or change priority and category."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.triage(priority, category, reason, actor=current_actor(), at=at),
        )

    def route(
        self,
        incident_id: UUID,
        agencies: Sequence[Agency],
        *,
        unit_ids: Sequence[UUID] = (),
        expected_version: int | None = None,
    ) -> Incident:
        """Route to agencies, and optionally dispatch units, in one transaction."""

        def change(incident: Incident, at: datetime) -> Sequence[Unit]:
            incident.route(list(agencies), actor=current_actor(), at=at)
            return [self._dispatch(incident, unit_id, at) for unit_id in unit_ids]

        return self._change(incident_id, expected_version, change)

    def acknowledge(
        self, incident_id: UUID, agency: Agency, expected_version: int | None = None
    ) -> Incident:
        """An agency confirms it has taken the incident."""

        def change(incident: Incident, at: datetime) -> None:
            incident.acknowledge(agency, actor=current_actor(), at=at)

        return self._change(incident_id, expected_version, change)

    def assign_unit(
        self, incident_id: UUID, unit_id: UUID, expected_version: int | None = None
    ) -> Incident:
        """Dispatch a unit: Incident and Unit change in one transaction."""
        return self._change(
            incident_id, expected_version, lambda i, at: [self._dispatch(i, unit_id, at)]
        )

    def _dispatch(self, incident: Incident, unit_id: UUID, at: datetime) -> Unit:
        unit = self.get_unit(unit_id)
        incident.assign_unit(unit.id, unit.agency, unit.callsign, actor=current_actor(), at=at)
        unit.dispatch_to(incident.id, actor=current_actor(), at=at)
        return unit

    def add_note(
        self, incident_id: UUID, text: str, expected_version: int | None = None
    ) -> Incident:
        """Add a note to an incident."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.add_note(text, actor=current_actor(), at=at),
        )

    def link_duplicate(
        self, incident_id: UUID, primary_id: UUID, expected_version: int | None = None
    ) -> Incident:
        """Link a report as a duplicate of a primary incident (both record it)."""

        def change(incident: Incident, at: datetime) -> Sequence[Incident]:
            primary = self.get_incident(primary_id)
            incident.link_as_duplicate_of(primary, actor=current_actor(), at=at)
            return [primary]

        return self._change(incident_id, expected_version, change)

    def close_incident(
        self,
        incident_id: UUID,
        disposition: Disposition,
        reason: str = "",
        expected_version: int | None = None,
    ) -> Incident:
        """Close with a disposition; units still assigned are released with it."""
        return self._change(
            incident_id, expected_version, lambda i, at: self._close(i, disposition, reason, at)
        )

    def _close(
        self, incident: Incident, disposition: Disposition, reason: str, at: datetime
    ) -> list[Unit]:
        released = [
            self._release(incident, unit_id, RELEASED_ON_CLOSE, at)
            for unit_id in list(incident.unit_ids)
        ]
        incident.close(disposition, reason, actor=current_actor(), at=at)
        return [u for u in released if u is not None]

    def _release(self, incident: Incident, unit_id: UUID, reason: str, at: datetime) -> Unit | None:
        incident.release_unit(unit_id, reason, actor=current_actor(), at=at)
        unit = self.get_unit(unit_id)
        if unit.incident_id != incident.id or unit.status is UnitStatus.AVAILABLE:
            return None
        unit.change_status(UnitStatus.AVAILABLE, location=None, actor=current_actor(), at=at)
        return unit

    def release_unit(
        self, incident_id: UUID, unit_id: UUID, reason: str, expected_version: int | None = None
    ) -> Incident:
        """Release a unit from an incident; the unit becomes available again."""

        def change(incident: Incident, at: datetime) -> list[Unit]:
            unit = self._release(incident, unit_id, reason, at)
            return [unit] if unit else []

        return self._change(incident_id, expected_version, change)

    def reopen(
        self, incident_id: UUID, reason: str, expected_version: int | None = None
    ) -> Incident:
        """Reopen a closed incident."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.reopen(reason, actor=current_actor(), at=at),
        )

    def escalate(
        self, incident_id: UUID, reason: EscalationReason, detail: str, agency: Agency | None = None
    ) -> Incident:
        """Record an escalation (once per reason)."""

        def change(incident: Incident, at: datetime) -> None:
            incident.escalate(reason, detail, agency=agency, actor=current_actor(), at=at)

        return self._change(incident_id, None, change)
