"""Errors of the audit replay."""

from __future__ import annotations

from dispatch.errors import DispatchError, IncidentNotFound


class ReplayError(Exception):
    """Base of the replay's own errors."""


class InvalidQuery(ReplayError):
    """Raised when a replay question is malformed (say, both a time and a position)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class UnknownReference(IncidentNotFound):
    """Raised when neither an incident id nor a radio number names an incident."""

    def __init__(self, reference: str) -> None:
        DispatchError.__init__(self, f"no incident {reference!r}")
        self.reference = reference


class AuditStoreConflict(ReplayError):
    """Raised when another checkpointer sealed the same positions first (retry from its head)."""


class AuditStoreMissing(ReplayError):
    """Raised when the audit store has no checkpoint but the log holds events older than a
    new deployment's: the store was deleted or replaced, and sealing the log as it is now would
    bless whatever was changed meanwhile."""


class ModelNotFound(ReplayError):
    """Raised when no model file with a recorded model version can be found."""
