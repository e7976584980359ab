"""The decisions taken on a read model that met an event it could not apply.

A projection never skips an event by itself: it stops there and the floor is told (health
503, an error in the log). Whoever decides to let it go on past that one event does so on the
record: who, when, which event, and why, in the same append-only log as everything
else.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ReasonRequired

READ_MODEL_NAMESPACE = uuid5(NAMESPACE_URL, "https://siaga112.samarindakota.go.id/read-model")


def read_model_id_for(name: str) -> UUID:
    """The id of a read model's decisions, from its name."""
    return uuid5(READ_MODEL_NAMESPACE, name)


class ReadModelDecisions(Aggregate):
    """Every decision taken on one read model (a projection), in order."""

    class Named(Aggregate.Created):
        name: str

    class EventSkipped(Aggregate.Event):
        position: int
        event_type: str
        reason: str
        actor: str
        at: datetime

    @staticmethod
    def create_id(name: str) -> UUID:
        """Derive the id from the read model's name."""
        return read_model_id_for(name)

    @event(Named)
    def __init__(self, name: str) -> None:
        self.name = name
        self.skipped: list[int] = []

    def skip(
        self, position: int, event_type: str, reason: str, *, actor: str, at: datetime
    ) -> None:
        """Let the read model go on past the event at ``position``, for a stated reason."""
        if not reason.strip():
            raise ReasonRequired("skipping an event of a read model needs a reason")
        self._event_skipped(
            position=position,
            event_type=event_type,
            reason=reason.strip(),
            actor=actor,
            at=at,
        )

    @event(EventSkipped)
    def _event_skipped(
        self, position: int, event_type: str, reason: str, actor: str, at: datetime
    ) -> None:
        self.skipped.append(position)
