"""The stored events the present reads (the day ledgers' and others' are skipped unread)."""

from __future__ import annotations

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.facility import Facility
from domain.incident import Incident
from domain.unit import Unit


def events_of(aggregate: type[Aggregate]) -> list[type[Aggregate.Event]]:
    """The event classes an aggregate declares."""
    return [
        value
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in ("Event", "Created")
    ]


FEED_TOPICS = tuple(sorted(get_topic(e) for e in events_of(Incident) + events_of(Unit)))
"""The stored events the feeds send deltas of."""
PRESENT_TOPICS = frozenset(FEED_TOPICS) | {get_topic(e) for e in events_of(Facility)}
"""The stored events the present applies."""
