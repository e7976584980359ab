"""The projection side: handlers per event class, one view transaction per batch of events.

Handlers receive each event as ``EventData`` (see ``projections.events``): its attributes are
the plain values the rows hold (enum values, ISO times, UUID text), not domain objects, and
its ``position`` in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from projections.events import EventData, ProjectionMapper
from projections.log_pages import Row
from projections.tables import RowView

V = TypeVar("V", bound=RowView)
P = TypeVar("P", bound="RowProjection[Any]")
Handler = Callable[[Any, EventData], None]


def handles(*event_classes: type) -> Callable[[Callable[[P, EventData], None]], Any]:
    """Mark a method as the handler of these event classes."""

    def mark(method: Callable[[P, EventData], None]) -> Any:
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
                handler(self, domain_event)
        except BaseException as error:
            view.abort(tracking, domain_event.event_class.__qualname__, error)
        view.commit(tracking)

    def process_page(self, rows: Sequence[Row], mapper: ProjectionMapper, application: str) -> None:
        """Apply a page of the log (rows as ``projections.log_pages`` reads them) as ONE view
        commit, tracking its last event. An event that fails stops the projection just as in
        ``process_event``: the page's rows are dropped, the events before the failing one are
        applied again (handlers only compute rows from rows) and committed, and it fails."""
        view, handlers, event_data = self.view, self.handlers, mapper.event_data
        view.begin()
        done = 0
        try:
            for row in rows:
                event = event_data(*row)
                handler = handlers.get(event.event_class)
                if handler is not None:
                    handler(self, event)
                done += 1
        except BaseException as error:
            view.begin()  # forget the page's rows
            if done:
                self.process_page(rows[:done], mapper, application)
            failed = rows[done]
            view.abort(Tracking(application, failed[4]), failed[2].rpartition(":")[2], error)
        view.commit(Tracking(application, rows[-1][4]), events=len(rows))
