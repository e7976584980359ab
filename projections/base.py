"""The projection side: handlers per event class, one view transaction per batch of events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from projections.tables import RowView

V = TypeVar("V", bound=RowView)
P = TypeVar("P", bound="RowProjection[Any]")
Handler = Callable[[Any, Any, Tracking], None]


def handles(*event_classes: type) -> Callable[[Callable[[P, Any, Tracking], None]], Any]:
    """Mark a method as the handler of these event classes."""

    def mark(method: Callable[[P, Any, Tracking], None]) -> Any:
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

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one event; its rows and position are written with the next batch."""
        handler = self.handlers.get(type(domain_event))
        view = self.view
        view.begin()
        try:
            if handler is not None:
                handler(self, domain_event, tracking)
        except BaseException as error:
            view.abort(tracking, type(domain_event).__qualname__, error)
        view.commit(tracking)


def iso(moment: datetime | None) -> str | None:
    """A time as ISO 8601 text (None stays None)."""
    return moment.isoformat() if moment is not None else None
