"""A caller number's calls as the present keeps them, and the one definition of the counts.

The present keeps each call of the last ``Windows.calls`` (30 days: the classifier's longest
window) as a small record, and folds older closed calls into per-number totals, so the counts
of earlier dispositions stay exact while memory grows with the callers, not with the log. (A
call reopened and closed again with another disposition after it left the window keeps the
disposition it was folded with.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from classifier import CallerHistory
from domain.incident import Incident
from domain.taxonomy import Category, Disposition, IncidentStatus, Priority

FALSE_DISPOSITIONS = frozenset({Disposition.PRANK, Disposition.ACCIDENTAL, Disposition.TEST})


@dataclass(slots=True)
class Call:
    """One call of a number: when it came, what it was, and how (and when) it was closed."""

    incident_id: UUID
    number: str
    caller_number: str
    received_at: datetime
    category: Category
    priority: Priority
    status: IncidentStatus
    disposition: Disposition | None = None
    closed_at: datetime | None = None

    @classmethod
    def of(cls, incident: Incident) -> Call:
        """The call record of an incident as it is now."""
        return cls(
            incident.id,
            incident.number,
            incident.caller_number or "",
            incident.received_at,
            incident.category,
            incident.priority,
            incident.status,
            incident.disposition,
            incident.closed_at,
        )

    def follow(self, incident: Incident) -> None:
        """Take the incident's current category, priority, status and disposition."""
        self.category, self.priority = incident.category, incident.priority
        self.status, self.disposition = incident.status, incident.disposition
        self.closed_at = incident.closed_at


@dataclass(frozen=True, slots=True)
class Earlier:
    """Totals of a number's closed calls that left the window (false, genuine, silent)."""

    false: int = 0
    genuine: int = 0
    silent: int = 0

    def plus(self, disposition: Disposition | None) -> Earlier:
        """These totals with one more closed call."""
        return Earlier(
            self.false + (disposition in FALSE_DISPOSITIONS),
            self.genuine + (disposition is Disposition.GENUINE),
            self.silent + (disposition is Disposition.SILENT),
        )


class CallRecord(Protocol):
    """One call of a caller number: when it came and how (and when) it was closed."""

    @property
    def received_at(self) -> datetime: ...

    @property
    def disposition(self) -> Disposition | None: ...

    @property
    def closed_at(self) -> datetime | None: ...


def caller_counts(
    calls: Iterable[CallRecord], at: datetime, earlier: Earlier = Earlier()
) -> CallerHistory:
    """A number's history as of ``at``: calls before it, and dispositions known by then.

    The one definition of the counts: the present and the caller-history projection both
    use it, so the classifier sees the same numbers from either. ``earlier`` adds the closed
    calls that left the present's window (all before ``at`` when ``at`` is recent).
    """
    before = [c for c in calls if c.received_at < at]
    closed = [c for c in before if c.closed_at is not None and c.closed_at <= at]

    def within(span: timedelta) -> int:
        return sum(1 for c in before if at - c.received_at <= span)

    return CallerHistory(
        calls_1h=within(timedelta(hours=1)),
        calls_24h=within(timedelta(days=1)),
        calls_30d=within(timedelta(days=30)),
        prior_false=earlier.false + sum(1 for c in closed if c.disposition in FALSE_DISPOSITIONS),
        prior_genuine=earlier.genuine
        + sum(1 for c in closed if c.disposition is Disposition.GENUINE),
        prior_silent=earlier.silent + sum(1 for c in closed if c.disposition is Disposition.SILENT),
    )
