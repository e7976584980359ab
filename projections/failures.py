"""How a projection stops: on an event it cannot apply (for good), or when its store is out of
reach (transient: it is retried from its last committed position)."""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.persistence import InterfaceError, OperationalError


class ProjectionFailed(Exception):
    """Raised when a projection cannot process an event: it stops there, never skipping it."""


@dataclass(frozen=True)
class Failure:
    """Where and why a projection stopped; transient when its store could not be reached."""

    position: int | None
    event: str
    error: str
    transient: bool = False

    def __str__(self) -> str:
        where = f"at position {self.position} ({self.event})" if self.position else "while writing"
        return f"stopped {where}: {self.error}"


def is_transient(error: BaseException) -> bool:
    """True for errors of reaching the store (retry later), not of processing an event."""
    return isinstance(error, OperationalError | InterfaceError)
