"""The runner of the projections: the library's ``ProjectionRunner``, taking the log a page
at a time while it catches up.

The library's runner hands its projection one event at a time, each with its own
``Tracking``: right when following the head, but when catching up from far behind, that
per-event hand-over costs more than the projection's own work. This runner gives a
``RowProjection`` each page its subscription reads while catching up (``process_page``: one
view commit per page, tracking the page's last event) and, once at the head, goes on one
event at a time exactly as the library does. Everything else (the subscription from the
view's tracking position, stopping, the error that stopped it) is the library's.
"""

from __future__ import annotations

import weakref
from threading import Event
from typing import Any, TypeVar

from eventsourcing.persistence import TrackingRecorder
from eventsourcing.projection import ApplicationSubscription, ProjectionRunner

from projections.base import RowProjection
from projections.catch_up import CatchUpSubscription
from projections.events import ProjectionMapper

A = TypeVar("A")
V = TypeVar("V", bound=TrackingRecorder)


class PagedProjectionRunner(ProjectionRunner[A, V]):
    """A ``ProjectionRunner`` whose row projections catch up a page at a time."""

    @staticmethod
    def _process_events_loop(
        subscription: ApplicationSubscription[Any],
        projection: Any,
        is_stopping: Event,
        runner: weakref.ReferenceType[Any],
    ) -> None:
        """Pages while catching up, then events one by one (as the library's loop)."""
        try:
            pages = subscription.subscription
            mapper = subscription.mapper
            if (
                isinstance(pages, CatchUpSubscription)
                and isinstance(projection, RowProjection)
                and isinstance(mapper, ProjectionMapper)
            ):
                while (page := pages.next_page()) is not None:
                    projection.process_page(page, mapper, subscription.name)
            for domain_event, tracking in subscription:
                projection.process_event(domain_event, tracking)
        except BaseException as error:
            found = runner()
            if found is not None:
                found._thread_error = error  # where the library keeps it
        finally:
            is_stopping.set()
