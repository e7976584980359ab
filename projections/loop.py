"""The projection loop: one thread per projection, owned here, through public APIs only.

A loop reads the log from its view's tracking position:

- **catching up**: a page of plain rows at a time (``projections.log_pages``), each page
  applied whole by ``RowProjection.process_page`` (one view commit per page, tracking its last
  event), in the loop's own thread: no hand-over per event or per page;
- **at the head**: an empty page, and the loop follows the log (the process's one
  subscription, ``LogTail``, when the host was given it; else ``recorder.subscribe(gt=…)``),
  one event at a time (``process_event``).

Whatever stops the thread is kept in ``error`` (a ``ProjectionFailed`` for an event the
projection could not apply, with ``view.failure`` naming its position; a connection error when
the store went away) and ``stopped`` is set. ``stop()`` ends the loop and joins its thread.
"""

from __future__ import annotations

import threading
from typing import Any

from eventsourcing.persistence import Tracking

from dispatch.present.follow import Followed, LogSource, SilenceWatch
from dispatch.settings import Settings
from projections.base import RowProjection
from projections.events import EventLog, ProjectionMapper
from projections.log_pages import log_pages
from projections.schema import APPLICATION
from projections.tables import RowView
from projections.wiring import app_env, open_view_class

PAGE = 2000


class ProjectionLoop:
    """Runs one projection into its view: catches up in pages, then follows the head."""

    def __init__(
        self,
        settings: Settings,
        name: str,
        projection_class: type[RowProjection[Any]],
        view_class: type[RowView],
        *,
        page: int = PAGE,
        tail: LogSource | None = None,
    ) -> None:
        self.name = name
        self.page = page
        self._tail = tail  # the process's one subscription (``LogTail``), or None: its own
        self.error: BaseException | None = None
        self.stopped = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # stop() comes from another thread than the loop's
        self._live: Followed | None = None
        self.view: RowView = open_view_class(settings, view_class, name)
        try:
            self.log = EventLog(env=app_env(settings))
        except BaseException:
            self.view.close()
            raise
        self.projection = projection_class(view=self.view)
        self._thread = threading.Thread(target=self._run, name=f"projection-{name}", daemon=True)

    # ---- lifecycle -----------------------------------------------------------------------------

    def start(self) -> ProjectionLoop:
        """Start the loop's thread."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop following the log, join the thread and close the log (the view stays open for
        reading: ``close()`` closes it)."""
        with self._lock:
            self._stopping.set()
            if self._live is not None:
                self._live.stop()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self.log.close()

    def close(self) -> None:
        """Stop, then close the view (writing what it still holds)."""
        try:
            self.stop()
        finally:
            self.view.close()

    def __enter__(self) -> ProjectionLoop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait(self, position: int, timeout: float) -> bool:
        """Block until the view has written tracking ≥ position (True) or timeout; raises the
        error that stopped the loop, if one did."""
        reached = self.view.wait_for(position, timeout)
        if not reached and self.error is not None:
            raise self.error
        return reached

    # ---- the thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            position = self._catch_up(self.view.resume())
            if position is not None:
                self._follow(position)
        except BaseException as error:
            self.error = error
        finally:
            self.stopped.set()

    def _catch_up(self, position: int) -> int | None:
        """Apply whole pages up to the head; the last position read (None once stopping)."""
        pages = log_pages(self.log.recorder)
        mapper = self.log.mapper
        assert isinstance(mapper, ProjectionMapper)
        topics, process_page = self.projection.topics, self.projection.process_page
        while not self._stopping.is_set():
            rows = pages(position, self.page, topics)
            if not rows:
                return position
            process_page(rows, mapper, APPLICATION)
            position = rows[-1][4]
        return None

    def _follow(self, position: int) -> None:
        """One event at a time from the recorder's subscription, until stopped; a subscription
        that falls silent while the log holds newer events of its topics is started again from
        the last event applied (see ``_follow_once``)."""
        while not self._stopping.is_set():
            position = self._follow_once(position)

    def _follow_once(self, position: int) -> int:
        """Follow one subscription from ``position``; returns the last position applied.

        A subscription that falls silent while the log holds an event of its topics after the
        last one applied is stopped, and the loop reads again from there
        (``dispatch.present.follow.SilenceWatch``: the library's PostgreSQL subscription reads,
        then starts to LISTEN, so a commit in between wakes nobody).
        """
        topics = self.projection.topics
        source: LogSource = self._tail or self.log.recorder
        subscription = source.subscribe(gt=position, topics=topics)
        applied = [position]
        pages = log_pages(self.log.recorder)
        with subscription as notifications:
            with self._lock:
                if self._stopping.is_set():
                    return position
                self._live = subscription
            watch = SilenceWatch(
                subscription,
                lambda: applied[0],
                lambda seen: bool(pages(seen, 1, topics)),
                name=f"check-{self.name}",
                stopping=self._stopping,
            )
            with watch:
                mapper = self.log.mapper
                assert isinstance(mapper, ProjectionMapper)
                to_event, process = mapper.to_domain_event, self.projection.process_event
                for notification in notifications:
                    process(to_event(notification), Tracking(APPLICATION, notification.id))
                    applied[0] = notification.id
        return applied[0]
