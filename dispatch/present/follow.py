"""Following the log through the library's subscription without missing a commit.

The library's PostgreSQL subscription reads what is there, then starts to LISTEN on another
connection: a commit made in between wakes nobody, and a follower stays behind until the next
event (its reads catch up on demand, but what it tells listeners, such as feed deltas, waits).
``SilenceWatch`` is the one remedy, shared by the present's follower (``LogFollower``) and the
projection loop (``projections.loop``): every ``FOLLOW_CHECK_S`` it looks whether the follower
moved since the last look; if it did not while the log holds an event after its position, the
subscription is stopped (its public ``stop()``) and the follower subscribes again from there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Notification

log = logging.getLogger("siaga112.present")
#: How often a followed subscription is checked for an event it has not delivered (s).
FOLLOW_CHECK_S = 1.0


class Stoppable(Protocol):
    """What a watch needs of a subscription."""

    def stop(self) -> None:
        """End the subscription: iteration ends."""


class Followed(Stoppable, Protocol):
    """A subscription as followers use it: the library's, or a reader of the process's
    ``LogTail`` (``dispatch.present.tail``)."""

    def __enter__(self) -> Iterator[Notification]: ...

    def __exit__(self, *exc: Any) -> None: ...


class LogSource(Protocol):
    """What a follower subscribes to: the recorder itself, or the process's ``LogTail``."""

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> Followed: ...


class SilenceWatch:
    """While entered, stops ``subscription`` once it fell silent with an event waiting.

    ``applied()`` is the follower's position; ``newer(position)`` says whether the log holds an
    event the follower reads after it.
    """

    def __init__(
        self,
        subscription: Stoppable,
        applied: Callable[[], int],
        newer: Callable[[int], bool],
        *,
        name: str,
        stopping: threading.Event | None = None,
        every_s: float = FOLLOW_CHECK_S,
    ) -> None:
        self.subscription, self.applied, self.newer = subscription, applied, newer
        self.every_s = every_s
        self._stopping = stopping or threading.Event()
        self._done = threading.Event()
        self._name = name
        self._thread = threading.Thread(target=self._check, name=name, daemon=True)

    def __enter__(self) -> SilenceWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _check(self) -> None:
        seen = self.applied()
        while not self._done.wait(self.every_s) and not self._stopping.is_set():
            now = self.applied()
            if now == seen and self._event_waiting(seen):
                self.subscription.stop()  # silent with an event waiting: read again from `seen`
                return
            seen = now

    def _event_waiting(self, position: int) -> bool:
        """Whether the log holds a newer event; False while the store cannot say (an outage:
        the subscription itself fails then, and its follower subscribes again)."""
        try:
            return self.newer(position)
        except Exception as error:  # the watch outlives an outage; it only looks again later
            log.warning("%s: cannot read the log's head (%s); looking again", self._name, error)
            return False


class LogFollower:
    """One thread handing every notification after ``position()`` to ``receive``, in order.

    It subscribes (to ``source``, the recorder's log when None) from the position
    ``position()`` gives at the time, so what a reader applied meanwhile is not read twice; a
    subscription lost (the store went away) is taken again a second later, with the error kept
    in ``error`` until then; one that falls silent with an event waiting is replaced
    (``SilenceWatch``).
    """

    def __init__(
        self,
        recorder: ApplicationRecorder,
        position: Callable[[], int],
        receive: Callable[[Notification], None],
        *,
        name: str,
        source: LogSource | None = None,
    ) -> None:
        self.recorder, self.position, self.receive, self.name = recorder, position, receive, name
        self.source: LogSource = source or recorder
        self.error: str | None = None
        self._lock = threading.Lock()  # stop() comes from another thread than the follower's
        self._stopping = threading.Event()
        self._live: Followed | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> LogFollower:
        """Start following."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop following and join the thread."""
        with self._lock:
            self._stopping.set()
            if self._live is not None:
                self._live.stop()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def newer(self, position: int) -> bool:
        """Whether the log holds an event after ``position``."""
        return (self.recorder.max_notification_id() or 0) > position

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._follow_once()
            except Exception as error:
                self.error = f"log subscription lost: {error!r}"
                log.error("%s: %s; retrying", self.name, self.error)
                self._stopping.wait(1.0)

    def _follow_once(self) -> None:
        live = self.source.subscribe(gt=self.position())
        with live as subscription:
            with self._lock:
                if self._stopping.is_set():
                    return
                self._live = live
            self.error = None
            watch = SilenceWatch(
                live,
                self.position,
                self.newer,
                name=f"{self.name}-check",
                stopping=self._stopping,
            )
            try:
                with watch:
                    for notification in subscription:
                        self.receive(notification)
            finally:
                with self._lock:
                    self._live = None
