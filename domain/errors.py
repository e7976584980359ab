"""Domain errors: each says what happened, so edges can map them to clear answers."""

from __future__ import annotations

from uuid import UUID


class DomainError(Exception):
    """Base of every rule the domain refuses to break."""

    code = "domain_error"


class IncidentClosed(DomainError):
    """Raised when an incident is changed in a way that closure forbids."""

    code = "incident_closed"

    def __init__(self, incident_id: UUID) -> None:
        super().__init__(f"incident {incident_id} is closed")


class IncidentNotClosed(DomainError):
    """Raised when reopening an incident that is still open."""

    code = "incident_not_closed"

    def __init__(self, incident_id: UUID) -> None:
        super().__init__(f"incident {incident_id} is not closed")


class ReasonRequired(DomainError):
    """Raised when an override or other judgement is recorded without a reason."""

    code = "reason_required"


class AgencyNotRouted(DomainError):
    """Raised when an agency acts on an incident that was not routed to it."""

    code = "agency_not_routed"


class NoAgencies(DomainError):
    """Raised when routing names no agency."""

    code = "no_agencies"


class UnitNotAvailable(DomainError):
    """Raised when a unit that is not available is assigned."""

    code = "unit_not_available"


class UnitAlreadyAssigned(DomainError):
    """Raised when a unit is assigned twice to the same incident."""

    code = "unit_already_assigned"


class UnitNotAssigned(DomainError):
    """Raised when releasing a unit that is not assigned to the incident."""

    code = "unit_not_assigned"


class InvalidStatusChange(DomainError):
    """Raised when a unit status change breaks the unit status machine."""

    code = "invalid_status_change"


class NotVerifying(DomainError):
    """Raised when verifying an incident that is not waiting for verification."""

    code = "not_verifying"


class InvalidLink(DomainError):
    """Raised when an incident is linked as a duplicate of itself or of a closed incident."""

    code = "invalid_link"
