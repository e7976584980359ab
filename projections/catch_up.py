"""Catching up: a projection reads the log in its own thread up to the head, then follows it.

The library's subscriptions pull pages on a thread of their own and hand them over a queue,
which suits following the head (a few events at a time, woken by each commit). Catching up
from far behind is different: the puller and the projection would only take turns holding
the GIL, with a hand-off for every page. So a runner's subscription here reads what the log
already holds in the projection's thread, page by page, and only when a page comes back
empty starts the recorder's own subscription from the last position it read.

While it catches up, a runner takes whole pages (``next_page``) rather than one notification
at a time, see ``projections.runner``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    Notification,
    StoredEvent,
    Subscription,
)

from projections.log_pages import Row, log_pages, notification

PAGE = 2000


class CatchUpRecorder(ApplicationRecorder):
    """An application recorder whose subscriptions catch up in the reading thread."""

    def __init__(self, recorder: ApplicationRecorder, page: int = PAGE) -> None:
        self.recorder = recorder
        self.page = page
        self.pages = log_pages(recorder)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        return self.recorder.insert_events(stored_events, **kwargs)

    def select_events(self, originator_id: UUID | str, **kwargs: Any) -> Sequence[StoredEvent]:
        return self.recorder.select_events(originator_id, **kwargs)

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        return self.recorder.select_notifications(
            start, limit, stop, topics, inclusive_of_start=inclusive_of_start
        )

    def max_notification_id(self) -> int | None:
        return self.recorder.max_notification_id()

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return CatchUpSubscription(self, gt=gt, topics=topics)


class CatchUpSubscription(Subscription[CatchUpRecorder]):
    """Notifications after ``gt``: read in the caller's thread until none are left, then
    from the recorder's own subscription (which waits for new ones)."""

    def __init__(
        self, recorder: CatchUpRecorder, gt: int | None = None, topics: Sequence[str] = ()
    ) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._lock = threading.Lock()  # stop() comes from another thread
        self._live: Subscription[ApplicationRecorder] | None = None
        self._rows: Iterator[Row] = iter(())

    def __next__(self) -> Notification:
        if self._has_been_stopped:
            raise StopIteration
        if self._live is not None:
            return next(self._live)
        row = next(self._rows, None)
        if row is None:
            recorder = self._recorder
            page = recorder.pages(self._last_notification_id or 0, recorder.page, self._topics)
            if not page:
                return next(self._follow())
            self._last_notification_id = page[-1][4]
            self._rows = iter(page)
            row = next(self._rows)
        return notification(*row)  # made as it is handed out: it dies young, and cheap to GC

    def next_page(self) -> Sequence[Row] | None:
        """While catching up, the next rows of the log (what is left of the page ``next()``
        was handing out, else a new page); None at the head or once stopped: from then on,
        ``next()`` gives the notifications one by one, from the live subscription."""
        if self._has_been_stopped or self._live is not None:
            return None
        rest = list(self._rows)
        if rest:
            return rest
        recorder = self._recorder
        page = recorder.pages(self._last_notification_id or 0, recorder.page, self._topics)
        if not page:
            return None
        self._last_notification_id = page[-1][4]
        return page

    def _follow(self) -> Subscription[ApplicationRecorder]:
        """At the head: from now on, the recorder's own subscription."""
        with self._lock:
            if self._has_been_stopped:
                raise StopIteration
            live = self._recorder.recorder.subscribe(
                gt=self._last_notification_id, topics=self._topics
            )
            self._live = live.__enter__()
        return live

    def stop(self) -> None:
        with self._lock:
            super().stop()
            if self._live is not None:
                self._live.stop()

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            if self._live is not None:
                self._live.__exit__(*args, **kwargs)  # joins its threads
