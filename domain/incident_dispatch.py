"""The incident's course: triage, routing, acknowledgement, units, escalation and closure.

Methods of ``Incident`` (bound in ``domain.incident``): each public function decides, each
past-tense one is the ``@event`` method that assigns what its event says.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import (
    AgencyNotRouted,
    IncidentNotClosed,
    NoAgencies,
    ReasonRequired,
    UnitAlreadyAssigned,
    UnitNotAssigned,
)
from domain.taxonomy import Agency, Category, Disposition, EscalationReason, Priority

if TYPE_CHECKING:
    from domain.incident import Incident


def triage(
    self: Incident, priority: Priority, category: Category, reason: str, *, actor: str, at: datetime
) -> None:
    """Set or change priority and category, with the operator's reason."""
    self._check_open()
    if not reason.strip():
        raise ReasonRequired("triage needs a reason")
    self._triaged(priority=priority, category=category, reason=reason, actor=actor, at=at)


def triaged(
    self: Incident, priority: Priority, category: Category, reason: str, actor: str, at: datetime
) -> None:
    """Triaged: the new priority and category."""
    self.priority = priority
    self.category = category


def route(self: Incident, agencies: list[Agency], *, actor: str, at: datetime) -> bool:
    """Route to agencies not yet routed; returns False when nothing was new."""
    self._check_open()
    if not agencies:
        raise NoAgencies("routing needs at least one agency")
    new = [a for a in dict.fromkeys(agencies) if a not in self.agencies]
    if new:
        self._routed(agencies=new, actor=actor, at=at)
    return bool(new)


def routed(self: Incident, agencies: list[Agency], actor: str, at: datetime) -> None:
    """Routed: the new agencies, each with the time it was routed."""
    for agency in agencies:
        self.agencies.append(agency)
        self.routed_at[agency] = at


def acknowledge(self: Incident, agency: Agency, *, actor: str, at: datetime) -> bool:
    """An agency confirms it has taken the incident; repeating it changes nothing."""
    self._check_open()
    if agency not in self.agencies:
        raise AgencyNotRouted(f"incident {self.number} is not routed to {agency.value}")
    if agency in self.acknowledged_at:
        return False
    self._acknowledged(agency=agency, actor=actor, at=at)
    return True


def acknowledged(self: Incident, agency: Agency, actor: str, at: datetime) -> None:
    """Acknowledged: when the agency took the incident."""
    self.acknowledged_at[agency] = at


def assign_unit(
    self: Incident, unit_id: UUID, agency: Agency, callsign: str, *, actor: str, at: datetime
) -> None:
    """Assign a unit of a routed agency (the Unit is saved in the same transaction)."""
    self._check_open()
    if agency not in self.agencies:
        raise AgencyNotRouted(f"incident {self.number} is not routed to {agency.value}")
    if unit_id in self.unit_ids:
        raise UnitAlreadyAssigned(f"unit {callsign} is already assigned to {self.number}")
    self._unit_assigned(unit_id=unit_id, agency=agency, callsign=callsign, actor=actor, at=at)


def unit_assigned(
    self: Incident, unit_id: UUID, agency: Agency, callsign: str, actor: str, at: datetime
) -> None:
    """UnitAssigned: the unit, its callsign, and the first unit's time."""
    self.unit_ids.append(unit_id)
    self.unit_callsigns[unit_id] = callsign
    if self.first_unit_at is None:
        self.first_unit_at = at


def release_unit(self: Incident, unit_id: UUID, reason: str, *, actor: str, at: datetime) -> None:
    """Release an assigned unit (it went back to service or was cancelled)."""
    if unit_id not in self.unit_ids:
        raise UnitNotAssigned(f"unit {unit_id} is not assigned to {self.number}")
    self._unit_released(unit_id=unit_id, reason=reason, actor=actor, at=at)


def unit_released(self: Incident, unit_id: UUID, reason: str, actor: str, at: datetime) -> None:
    """UnitReleased: the unit is no longer assigned."""
    self.unit_ids.remove(unit_id)
    self.released_unit_ids.append(unit_id)


def escalate(
    self: Incident,
    reason: EscalationReason,
    detail: str,
    *,
    agency: Agency | None = None,
    actor: str,
    at: datetime,
) -> bool:
    """Record an escalation once per reason; returns False when already escalated."""
    if self.is_closed or reason in self.escalations:
        return False
    self._escalated(reason=reason, detail=detail, agency=agency, actor=actor, at=at)
    return True


def escalated(
    self: Incident,
    reason: EscalationReason,
    detail: str,
    agency: Agency | None,
    actor: str,
    at: datetime,
) -> None:
    """Escalated: the reason, so it is not escalated for it again."""
    self.escalations.append(reason)


def close(
    self: Incident, disposition: Disposition, reason: str, *, actor: str, at: datetime
) -> None:
    """Close with a disposition (the classifier's future training label)."""
    self._check_open()
    self._closed(disposition=disposition, reason=reason.strip(), actor=actor, at=at)


def closed(self: Incident, disposition: Disposition, reason: str, actor: str, at: datetime) -> None:
    """Closed: the disposition and time; nothing waits for a call-back any more."""
    self.disposition = disposition
    self.closed_at = at
    self.verification_pending = False


def reopen(self: Incident, reason: str, *, actor: str, at: datetime) -> None:
    """Reopen a closed incident, with a reason."""
    if not self.is_closed:
        raise IncidentNotClosed(self.id)
    if not reason.strip():
        raise ReasonRequired("reopening needs a reason")
    self._reopened(reason=reason.strip(), actor=actor, at=at)


def reopened(self: Incident, reason: str, actor: str, at: datetime) -> None:
    """Reopened: open again, without disposition."""
    self.disposition = None
    self.closed_at = None
