"""The projection side: handlers per event class, one view transaction per batch of events.

Handlers receive each event as ``EventData`` (see ``projections.events``): its attributes are
the plain values the rows hold (enum values, ISO times, UUID text), not domain objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from projections.events import EventData
from projections.tables import RowView

V = TypeVar("V", bound=RowView)
P = TypeVar("P", bound="RowProjection[Any]")
Handler = Callable[[Any, EventData, Tracking], None]


def handles(*event_classes: type) -> Callable[[Callable[[P, EventData, Tracking], None]], Any]:
    """Mark a method as the handler of these event classes."""

    def mark(method: Callable[[P, EventData, Tracking], None]) -> Any:
        method._handles = event_classes  # type: ignore[attr-defined]
        return method

    return mark


class RowProjection(Projection[V], Generic[V]):
    """Computes whole rows from events; an event it cannot process stops it (never skipped).

    Only the event classes it handles are read from the log (``topics``), so catching up
    does not even decode the others.
    """

    handlers: ClassVar[dict[type, Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: dict[type, Handler] = {}
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                for event_class in getattr(attribute, "_handles", ()):
                    found[event_class] = attribute
        cls.handlers = found
        cls.topics = tuple(sorted(get_topic(e) for e in found))

    def process_event(self, domain_event: EventData, tracking: Tracking) -> None:
        """Apply one event; its rows and position are written with the next batch."""
        handler = self.handlers.get(domain_event.event_class)
        view = self.view
        view.begin()
        try:
            if handler is not None:
                handler(self, domain_event, tracking)
        except BaseException as error:
            view.abort(tracking, domain_event.event_class.__qualname__, error)
        view.commit(tracking)
