"""Letting a stopped projection go on past the one event it could not apply, on the record.

``siaga112 project skip NAME --reason …``: the event must be the one the projection stopped
at (the first event it reads after its committed position); the decision is saved in the event
log (``ReadModelDecisions.EventSkipped``: who, when, which event, why) before the
projection's position is moved past that event, and a running host then resumes it. The other
way on is a fix deployed and the server restarted: the projection resumes from its position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from dispatch.center import DispatchCenter, storage_errors
from dispatch.context import current_actor
from domain.read_models import ReadModelDecisions, read_model_id_for
from projections.catalog import ProjectionSpec
from projections.schema import APPLICATION
from projections.tables import RowView


class NothingToSkip(Exception):
    """Raised when the projection has no event to skip, or not the one named."""


@dataclass(frozen=True)
class Skipped:
    """What was skipped, and where the projection now stands."""

    projection: str
    position: int
    event_type: str


def skip_stuck_event(
    center: DispatchCenter,
    view: RowView,
    spec: ProjectionSpec,
    reason: str,
    *,
    position: int | None = None,
) -> Skipped:
    """Record the decision, then move the view past the event it is stuck at."""
    stuck = next_event(center, view, spec)
    if stuck is None:
        raise NothingToSkip(f"{spec.name} has read every event it handles: nothing to skip")
    if position is not None and position != stuck[0]:
        raise NothingToSkip(
            f"{spec.name} is not stopped at position {position}: the next event it reads is at "
            f"position {stuck[0]} ({stuck[1]})"
        )
    decisions = _decisions(center, spec.name)
    decisions.skip(*stuck, reason, actor=current_actor(), at=datetime.now(UTC))
    with storage_errors():
        center.save(decisions)
    view.insert_tracking(Tracking(APPLICATION, stuck[0]))
    return Skipped(spec.name, *stuck)


def next_event(
    center: DispatchCenter, view: RowView, spec: ProjectionSpec
) -> tuple[int, str] | None:
    """(position, event type) of the first event the projection reads after its position."""
    found = center.recorder.select_notifications(
        start=view.position() or 0,
        limit=1,
        topics=spec.projection.topics,
        inclusive_of_start=False,
    )
    if not found:
        return None
    return found[0].id, found[0].topic.rpartition(":")[2]


def _decisions(center: DispatchCenter, name: str) -> ReadModelDecisions:
    try:
        with storage_errors():
            found: ReadModelDecisions = center.repository.get(read_model_id_for(name))
    except AggregateNotFoundError:
        return ReadModelDecisions(name=name)
    return found
