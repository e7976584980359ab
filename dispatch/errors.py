"""The application's own errors (library errors never leave DispatchCenter)."""

from __future__ import annotations

from uuid import UUID


class DispatchError(Exception):
    """Base of the application's errors."""

    code = "dispatch_error"


class IncidentNotFound(DispatchError):
    """Raised when no incident has the given id."""

    code = "incident_not_found"

    def __init__(self, incident_id: UUID) -> None:
        super().__init__(f"no incident {incident_id}")


class UnitNotFound(DispatchError):
    """Raised when no unit has the given id."""

    code = "unit_not_found"

    def __init__(self, unit_id: UUID) -> None:
        super().__init__(f"no unit {unit_id}")


class VersionConflict(DispatchError):
    """Raised when a command was based on a version that is no longer current."""

    code = "version_conflict"

    def __init__(self, aggregate_id: UUID, expected: int | None, current: int) -> None:
        super().__init__(
            f"{aggregate_id} is at version {current}"
            + (f", not {expected}" if expected is not None else " (changed concurrently)")
        )
        self.aggregate_id = aggregate_id
        self.expected = expected
        self.current = current


class InvalidReport(DispatchError):
    """Raised when a report cannot be accepted; names the field and the reason."""

    code = "invalid_report"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class StorageUnavailable(DispatchError):
    """Raised when the event store cannot be reached; nothing was written."""

    code = "storage_unavailable"
